package dev.bantam.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a crashed child left among a command's outputs: the outputs it had written (modified since it started), and the
 * temporary files beside them ({@code .NAME*.tmp}, see {@code AtomicFiles.tempFileBeside}) created since, which are
 * removed. Read from times rather than a listing taken before, so the parent need not parse the command line unless
 * the child crashes; the start is taken back to the second, for file systems with coarse times.
 */
final class CrashLeftovers {

    private final List<Path> outputs;
    private final FileTime since;

    CrashLeftovers(List<Path> outputs, Instant childStart) {
        this.outputs = outputs;
        this.since = FileTime.from(childStart.truncatedTo(ChronoUnit.SECONDS));
    }

    /** The outputs written since the child started, as the user named them. */
    List<Path> written() {
        return outputs.stream().filter(p -> newer(p.toAbsolutePath())).toList();
    }

    /** Deletes the temporary files beside the outputs created since the child started. */
    void removeTemps() {
        for (Path p : outputs) {
            Path abs = p.toAbsolutePath();
            Path dir = abs.getParent();
            String prefix = "." + abs.getFileName();
            if (dir == null || !Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path t : s.filter(f -> f.getFileName().toString().startsWith(prefix)
                        && f.getFileName().toString().endsWith(".tmp") && newer(f)).toList()) {
                    Files.deleteIfExists(t);
                }
            } catch (IOException e) {
                // left for the user to see; the message names the outputs
            }
        }
    }

    private boolean newer(Path p) {
        try {
            return Files.isRegularFile(p) && Files.getLastModifiedTime(p).compareTo(since) >= 0;
        } catch (IOException e) {
            return false;
        }
    }
}
