package dev.bantam.cli;

import dev.bantam.onnx.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Report files, written to a temporary file beside the target and renamed into place. */
final class OutputFiles {

    private OutputFiles() {
    }

    static void writeAtomically(Path target, String content) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = AtomicFiles.tempFileBeside(abs);
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            AtomicFiles.moveIntoPlace(tmp, abs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
