package dev.bantam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command that reads a model: a missing or corrupt file is one line on stderr and exit 1. */
class ModelFileErrorsTest {

    @TempDir
    Path dir;

    private List<List<String>> commands(Path model) {
        String m = model.toString();
        String out = dir.resolve("out.onnx").toString();
        return List.of(List.of("inspect", m), List.of("convert", m, "-o", out), List.of("optimize", m, "-o", out),
                List.of("quantize", m, "-o", out), List.of("share-weights", m, "-o", out),
                List.of("factorize", m, "-o", out, "--plain"), List.of("quantize-weights", m, "-o", out),
                List.of("half-precision", m, "-o", out),
                List.of("eval", "--quiet", "--model", m, "--data", "synthetic:2"),
                List.of("bench", "--quiet", m));
    }

    private static void assertOneLine(CliTest.Run r, String fragment, List<String> args) {
        assertEquals(1, r.code(), args + ": " + r.err());
        assertEquals(1, r.err().lines().count(), args + ": " + r.err());
        assertTrue(r.err().contains(fragment), args + ": " + r.err());
        assertFalse(r.err().contains("\tat "), args + ": no stack trace");
    }

    @Test
    void writingOverTheInputIsRefusedAndTheInputIsUntouched() throws Exception {
        Path in = dir.resolve("cnn.onnx");
        Files.copy(dev.bantam.onnx.testing.TestData.repoModel("fmnist/cnn.onnx"), in);
        byte[] before = Files.readAllBytes(in);
        for (List<String> args : List.of(List.of("convert", in.toString(), "-o", in.toString()),
                List.of("optimize", in.toString(), "-o", in.toString()),
                List.of("quantize", in.toString(), "-o", dir.resolve(".").resolve("cnn.onnx").toString()),
                List.of("quantize-weights", in.toString(), "-o", in.toString()),
                List.of("half-precision", in.toString(), "-o", in.toString()),
                List.of("quantize", in.toString(), "-o", in.toString(), "--mode", "static", "--calibration-data",
                        "fmnist:,split=train,limit=16"))) {
            assertOneLine(CliTest.bantam(args.toArray(String[]::new)), "refusing to overwrite the input model", args);
            assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(in)), args + ": input unchanged");
        }
    }

    @Test
    void missingModel() {
        for (List<String> args : commands(dir.resolve("absent.onnx"))) {
            assertOneLine(CliTest.bantam(args.toArray(String[]::new)), "no such file", args);
        }
    }

    @Test
    void corruptModel() throws Exception {
        Path bad = Files.write(dir.resolve("bad.onnx"), new byte[] {0x0a, 0x7f, 0x01});
        for (List<String> args : commands(bad)) {
            assertOneLine(CliTest.bantam(args.toArray(String[]::new)), "not a valid ONNX model", args);
        }
        assertFalse(Files.exists(dir.resolve("out.onnx")), "nothing written");
    }
}
