package dev.bantam.bench.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** SHA-256 of every regular file under a folder (FIFOs and devices are listed, never read). */
final class FileHashes {

    private FileHashes() {
    }

    static Map<String, String> of(Path dir, Predicate<Path> skip) throws IOException {
        Map<String, String> h = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(dir) || skip.test(dir.relativize(p))) {
                    continue;
                }
                String key = dir.relativize(p).toString();
                h.put(key, Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? dev.bantam.onnx.io.Provenance.sha256(p)
                        : Files.isDirectory(p) ? "dir" : "other");
            }
        }
        return h;
    }

    /** What differs between two listings: "changed X", "removed X", "added X" (first few). */
    static String diff(Map<String, String> before, Map<String, String> after) {
        StringBuilder b = new StringBuilder();
        for (var e : before.entrySet()) {
            String now = after.get(e.getKey());
            if (now == null) {
                b.append("removed ").append(e.getKey()).append("; ");
            } else if (!now.equals(e.getValue())) {
                b.append("changed ").append(e.getKey()).append("; ");
            }
        }
        for (String k : after.keySet()) {
            if (!before.containsKey(k)) {
                b.append("added ").append(k).append("; ");
            }
        }
        return b.toString();
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: the campaign folder is removed at the end anyway
                }
            });
        } catch (IOException e) {
            // as above
        }
    }
}
