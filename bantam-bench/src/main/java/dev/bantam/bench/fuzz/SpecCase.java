package dev.bantam.bench.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One generated data spec: the spec text with {@link #DIR} standing for its data folder, the model it is given
 * to ("image" or "text"), and the files, folders and FIFOs to create in the data folder.
 */
public record SpecCase(long seed, List<String> steps, String spec, String model, Map<String, byte[]> files,
                       List<String> dirs, List<String> fifos) {

    public static final String DIR = "@DATA@";

    public SpecCase {
        steps = List.copyOf(steps);
        files = Map.copyOf(files);
        dirs = List.copyOf(dirs);
        fifos = List.copyOf(fifos);
    }

    /** Creates the data folder's contents and returns the spec with the folder's path in it. */
    String writeTo(Path data) throws IOException {
        Files.createDirectories(data);
        for (String d : dirs) {
            Files.createDirectories(data.resolve(d));
        }
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = data.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
        for (String f : fifos) {
            Process p = new ProcessBuilder("mkfifo", data.resolve(f).toString()).redirectErrorStream(true).start();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        return spec.replace(DIR, data.toString());
    }
}
