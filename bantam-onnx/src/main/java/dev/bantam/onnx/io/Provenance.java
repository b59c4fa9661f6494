package dev.bantam.onnx.io;

import dev.bantam.onnx.BantamVersion;
import dev.bantam.onnx.ir.Model;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Records in a model's {@code metadata_props} what Bantam did to it: Bantam's version, the step with its
 * settings, and the SHA-256 of the input file, so an output can be traced to its input and recipe.
 */
public final class Provenance {

    public static final String VERSION = "bantam.version";
    public static final String STEPS = "bantam.steps";
    public static final String INPUT_SHA256 = "bantam.input.sha256";

    private Provenance() {
    }

    /** Records a step; {@code input} is the file the step read (null for a model made in memory: no hash). */
    public static void record(Model model, String step, Path input) throws IOException {
        model.putMetadata(VERSION, BantamVersion.get());
        String previous = model.metadata().stream().filter(kv -> STEPS.equals(kv.key())).map(kv -> kv.value())
                .findFirst().orElse(null);
        model.putMetadata(STEPS, previous == null ? step : previous + "; " + step);
        if (input != null && model.metadata().stream().noneMatch(kv -> INPUT_SHA256.equals(kv.key()))) {
            model.putMetadata(INPUT_SHA256, sha256(input));
        }
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
