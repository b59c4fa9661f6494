package dev.bantam.runtime.context;

import dev.bantam.onnx.io.LargeDocStrings;

import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.io.SaveOptions;
import dev.bantam.onnx.ir.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An in-memory model written to a private temporary folder for ONNX Runtime to load, weights as external
 * data (streamed, so the copy costs no heap); the folder is deleted on close. The model itself is not changed.
 */
public final class TempModel implements AutoCloseable {

    private final Path dir;
    private final Path file;

    private TempModel(Path dir, Path file) {
        this.dir = dir;
        this.file = file;
    }

    public static TempModel write(Model model, String purpose) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("bantam-" + purpose);
            Path file = dir.resolve("model.onnx");
            LargeDocStrings.without(model, () -> ModelIO.save(model, file,
                    SaveOptions.external("model.onnx.data", SaveOptions.DEFAULT_THRESHOLD)));
            return new TempModel(dir, file);
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new UncheckedIOException("cannot write the model for " + purpose + ": " + e.getMessage(), e);
        }
    }

    /**
     * The file ONNX Runtime should open for {@code model} loaded from {@code path}: the file itself, or, when the
     * model carries doc strings ONNX Runtime would only waste memory on, a temporary copy without them (null
     * when the file itself will do).
     */
    public static TempModel forSession(Model model, String purpose) {
        return LargeDocStrings.any(model) ? write(model, purpose) : null;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        deleteQuietly(dir);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
