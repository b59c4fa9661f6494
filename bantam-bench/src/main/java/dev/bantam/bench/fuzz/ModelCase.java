package dev.bantam.bench.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One generated model: its files by name ({@link #MODEL} and any external data beside it) and the steps that made
 * it (base model, then mutations), which name the case in findings.
 */
public record ModelCase(long seed, List<String> steps, Map<String, byte[]> files) {

    static final String MODEL = "model.onnx";

    public ModelCase {
        steps = List.copyOf(steps);
        files = Map.copyOf(files);
    }

    long bytes() {
        return files.values().stream().mapToLong(b -> b.length).sum();
    }

    /** Writes every file into {@code dir} (created) and returns the model's path. */
    Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
        return dir.resolve(MODEL);
    }
}
