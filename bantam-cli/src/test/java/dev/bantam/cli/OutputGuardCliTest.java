package dev.bantam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: no option that writes a file can replace the input model, a file the input reads (external data,
 * recipe, data), another output of the same command, or a FIFO or device. Each refusal is one line, exit 1, and
 * leaves every file in the folder as it was.
 */
class OutputGuardCliTest {

    @TempDir
    Path dir;

    private String in;
    private String ext;
    private String weights;

    @BeforeEach
    void models() throws Exception {
        Path cnn = dir.resolve("cnn.onnx");
        Files.copy(CliTest.cnn(), cnn);
        in = cnn.toString();
        ext = dir.resolve("ext.onnx").toString();
        weights = dir.resolve("w.bin").toString();
        assertEquals(0, CliTest.bantam("convert", in, "-o", ext, "--external-data", "w.bin", "--size-threshold", "16").code());
    }

    /** Every model-writing command, with its own required options, reading {@code model}. */
    private List<List<String>> writers(String model) {
        return List.of(List.of("optimize", model), List.of("quantize", model, "--op-types", "Conv,Gemm"),
                List.of("share-weights", model), List.of("factorize", model, "--plain"),
                List.of("quantize-weights", model), List.of("half-precision", model),
                List.of("compress", model, "--recipe", recipe()));
    }

    private String recipe() {
        try {
            Path r = dir.resolve("r.yaml");
            if (!Files.exists(r)) {
                Files.writeString(r, "bantam-recipe: 1\nsteps:\n  - optimize: {}\n");
            }
            return r.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> plus(List<String> a, String... more) {
        List<String> l = new ArrayList<>(a);
        l.addAll(List.of(more));
        return l;
    }

    @Test
    void modelCommandsRefuseEveryDestructiveOutput() throws Exception {
        Path fifo = dir.resolve("fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        String out = dir.resolve("out.onnx").toString();
        for (List<String> w : writers(in)) {
            refused(plus(w, "-o", in), "-o " + in + ": refusing to overwrite the input model");
            refused(plus(w, "-o", out, "--json", in), "--json " + in + ": refusing to overwrite the input model");
            refused(plus(w, "-o", out, "--html", out), "--html and -o name the same file");
            refused(plus(w, "-o", out, "--json", dir.resolve("rep").toString(), "--html", dir.resolve("rep").toString()),
                    "--html and --json name the same file");
            refused(plus(w, "-o", fifo.toString()), "-o " + fifo + " is not a regular file");
        }
        for (List<String> w : writers(ext)) {
            refused(plus(w, "-o", weights), "-o " + weights + ": refusing to overwrite a file the input model reads");
            refused(plus(w, "-o", out, "--html", weights), "refusing to overwrite a file the input model reads");
        }
        refused(List.of("compress", in, "-o", out, "--recipe", recipe(), "--json", recipe()),
                "--json " + recipe() + ": refusing to overwrite a file the command reads");
        refused(List.of("quantize", in, "-o", out, "--mode", "static", "--calibration-data", "npy:" + weights, "--json",
                weights), "--json " + weights + ": refusing to overwrite the data");
    }

    @Test
    void convertRefusesEveryDestructiveOutput() throws Exception {
        String out = dir.resolve("out.onnx").toString();
        refused(List.of("convert", in, "-o", in), "refusing to overwrite the input model");
        refused(List.of("convert", in, "-o", out, "--external-data", "cnn.onnx"),
                "--external-data " + in + ": refusing to overwrite the input model");
        refused(List.of("convert", ext, "-o", weights), "-o " + weights + ": refusing to overwrite a file the input model reads");
        refused(List.of("convert", ext, "-o", out, "--external-data", "w.bin"),
                "--external-data " + weights + ": refusing to overwrite a file the input model reads");
        refused(List.of("convert", in, "-o", out, "--external-data", "out.onnx"),
                "--external-data and -o name the same file");
        Files.createDirectories(dir.resolve("folder"));
        refused(List.of("convert", in, "-o", out, "--external-data", "folder"), "is not a regular file");
    }

    @Test
    void evalAndBenchRefuseReportsOverTheirInputs() throws Exception {
        refused(List.of("eval", "--quiet", "--model", in, "--data", "synthetic:2", "--json", in),
                "--json " + in + ": refusing to overwrite the input model");
        refused(List.of("eval", "--quiet", "--model", in, "--reference", ext, "--data", "synthetic:2", "--html", weights),
                "--html " + weights + ": refusing to overwrite a file the input model reads");
        refused(List.of("eval", "--quiet", "--model", in, "--data", "synthetic:2", "--html", ext, "--reference", ext),
                "refusing to overwrite");
        refused(List.of("eval", "--quiet", "--model", in, "--data", "npy:" + weights, "--json", weights),
                "--json " + weights + ": refusing to overwrite the data");
        refused(List.of("eval", "--quiet", "--model", in, "--data", "synthetic:2", "--json", dir.toString()),
                "is not a regular file");
        refused(List.of("bench", "--quiet", in, ext, "--json", ext), "--json " + ext + ": refusing to overwrite the input model");
        refused(List.of("bench", "--quiet", ext, "--json", weights), "refusing to overwrite a file the input model reads");
    }

    /** The command fails with one line containing {@code fragment}, and no file in the folder changed or appeared. */
    private void refused(List<String> args, String fragment) throws Exception {
        Map<String, String> before = snapshot();
        CliTest.Run r = CliTest.bantam(args.toArray(String[]::new));
        assertEquals(1, r.code(), args + ": " + r.err());
        assertEquals(1, r.err().lines().count(), args + ": " + r.err());
        assertTrue(r.err().contains(fragment), args + ": expected '" + fragment + "' in " + r.err());
        assertFalse(r.err().contains("\tat "), args + ": no stack trace");
        assertEquals(before, snapshot(), args + ": files in the folder unchanged");
    }

    private Map<String, String> snapshot() throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                m.put(p.getFileName().toString(), Files.isRegularFile(p)
                        ? HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)))
                        : Files.isDirectory(p) ? "dir" : "special");
            }
        }
        return m;
    }
}
