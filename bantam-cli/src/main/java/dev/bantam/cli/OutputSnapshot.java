package dev.bantam.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A command's output files as they were before a child ran it, to say afterwards which of them it wrote, and to
 * remove the temporary files ({@code .NAME*.tmp}, see {@code AtomicFiles.tempFileBeside}) a crash left beside them.
 */
final class OutputSnapshot {

    private final Map<Path, Object> states = new LinkedHashMap<>();
    private final Set<Path> tempsBefore = new HashSet<>();

    OutputSnapshot(List<Path> outputs) {
        for (Path p : outputs) {
            Path abs = p.toAbsolutePath();
            states.put(p, state(abs));
            tempsBefore.addAll(temps(abs));
        }
    }

    /** The outputs that changed since the snapshot, as the user named them. */
    List<Path> written() {
        List<Path> changed = new ArrayList<>();
        states.forEach((p, before) -> {
            if (!Objects.equals(before, state(p.toAbsolutePath()))) {
                changed.add(p);
            }
        });
        return changed;
    }

    /** Deletes the temporary files beside the outputs that appeared since the snapshot. */
    void removeNewTemps() {
        for (Path p : states.keySet()) {
            for (Path t : temps(p.toAbsolutePath())) {
                if (!tempsBefore.contains(t)) {
                    try {
                        Files.deleteIfExists(t);
                    } catch (IOException e) {
                        // left for the user to see; the message names the outputs
                    }
                }
            }
        }
    }

    private static Object state(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return List.of(a.size(), a.lastModifiedTime(), Objects.requireNonNullElse(a.fileKey(), ""));
        } catch (IOException e) {
            return "absent";
        }
    }

    private static List<Path> temps(Path output) {
        Path dir = output.getParent();
        String prefix = "." + output.getFileName();
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith(prefix) && f.getFileName().toString().endsWith(".tmp"))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
