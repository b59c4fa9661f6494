package dev.bantam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.testing.HostileModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's cases that reach the user through the CLI: each is one line naming what is wrong, exit 1, no stack
 * trace, the input untouched and nothing written.
 */
class HostileInputsCliTest {

    @TempDir
    Path dir;

    private void refused(List<String> args, String fragment) throws Exception {
        Path in = Path.of(args.get(1));
        byte[] before = Files.isRegularFile(in) ? Files.readAllBytes(in) : null;
        CliTest.Run r = CliTest.bantam(args.toArray(String[]::new));
        assertEquals(1, r.code(), args + ": " + r.err());
        assertEquals(1, r.err().lines().count(), args + ": " + r.err());
        assertTrue(r.err().contains(fragment), args + ": expected '" + fragment + "' in " + r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception") || r.err().contains("Error:"), args + ": " + r.err());
        assertFalse(Files.exists(dir.resolve("out.onnx")), args + ": nothing written");
        if (before != null) {
            assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(in)), args + ": input unchanged");
        }
    }

    private List<List<String>> everyCommand(Path model) {
        String m = model.toString();
        String out = dir.resolve("out.onnx").toString();
        return List.of(List.of("inspect", m), List.of("convert", m, "-o", out), List.of("optimize", m, "-o", out),
                List.of("quantize", m, "-o", out), List.of("quantize", m, "-o", out, "--mode", "static",
                        "--calibration-data", "synthetic:4"), List.of("half-precision", m, "-o", out),
                List.of("eval", "--quiet", "--model", m, "--data", "synthetic:2"), List.of("bench", "--quiet", m));
    }

    @Test
    void deeplyNestedIfsAreRefusedTheSameWayByEveryCommand() throws Exception {
        for (int levels : new int[] {1000, 5000}) {
            Path m = Files.write(dir.resolve("deep" + levels + ".onnx"), HostileModels.nestedIfs(levels));
            for (List<String> args : everyCommand(m)) {
                refused(args, "nested more than 1000 levels deep");
            }
        }
    }

    @Test
    void aTensorCarryingTheReservedFieldIsRefused() throws Exception {
        for (long v : new long[] {0, 1, 5, -1}) {
            Path m = dev.bantam.onnx.testing.CraftedModels.write(HostileModels.markerCollision(v), dir.resolve("m" + v + ".onnx"));
            for (List<String> args : everyCommand(m)) {
                refused(args, "carries field number " + HostileModels.RESERVED_FIELD);
            }
        }
    }

    @Test
    void calibrationOnAllNanDataIsRefused() throws Exception {
        Path npy = dir.resolve("nan.npy");
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 1, 28, 28), }";
        header = header + " ".repeat(16 - (10 + header.length() + 1) % 16) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * 784 * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            b.putFloat(Float.NaN);
        }
        Files.write(npy, b.array());
        Path cnn = dir.resolve("cnn.onnx");
        Files.copy(CliTest.cnn(), cnn);
        refused(List.of("quantize", cnn.toString(), "-o", dir.resolve("out.onnx").toString(), "--mode", "static",
                "--calibration-data", "npy:" + npy, "--no-guard"), "calibration saw only NaN or infinite values of input");
    }

    @Test
    void hugeImagesAndBadSpecsAreRefusedBeforeAllocating() throws Exception {
        Path cnn = dir.resolve("cnn.onnx");
        Files.copy(CliTest.cnn(), cnn);
        Files.createDirectories(dir.resolve("imgs"));
        String images = "images:" + dir.resolve("imgs");
        refused(List.of("eval", "--quiet", "--model", cnn.toString(), "--data", images + ",size=100000x100000,channels=1"),
                "size=100000x100000 is out of range");
        refused(List.of("eval", "--quiet", "--model", cnn.toString(), "--data", images + ",size=28x28,layout=xyz"),
                "layout=xyz is not one of nchw, nhwc");
        refused(List.of("eval", "--quiet", "--model", cnn.toString(), "--data", "synthetic:0"),
                "synthetic:0 is out of range");
        refused(List.of("eval", "--quiet", "--model", cnn.toString(), "--data", "synthetic:2,seed=abc"),
                "seed=abc is not a whole number");
        refused(List.of("eval", "--quiet", "--model", cnn.toString(), "--data", "synthetic:2,colour=red"),
                "unknown key 'colour' for synthetic data");
    }

    /**
     * The models that killed the JVM inside ONNX Runtime (strides 0, constant integer division by zero or
     * INT64_MIN / -1, recursive local functions, a sparse index outside its dims) and the one that was written
     * out invalid (an UNDEFINED tensor) are refused by the checker, in every command, before ONNX Runtime sees them.
     */
    @Test
    void modelsThatCrashedOnnxRuntimeAreRefusedByTheChecker() throws Exception {
        record Case(String name, dev.bantam.onnx.ir.serde.proto.Onnx.ModelProto.Builder model, String fragment) {
        }
        List<Case> cases = List.of(
                new Case("strides0", dev.bantam.onnx.check.BadModels.conv(0, 0), "holds 0; each value must be at least 1"),
                new Case("div0", dev.bantam.onnx.check.BadModels.division("Div", dev.bantam.onnx.check.BadModels.INT64,
                        new long[] {0}, new long[] {7}), "division by zero"),
                new Case("minOverMinusOne", dev.bantam.onnx.check.BadModels.division("Div", dev.bantam.onnx.check.BadModels.INT64,
                        new long[] {-1}, new long[] {Long.MIN_VALUE}), "the quotient overflows"),
                new Case("recursive", dev.bantam.onnx.check.BadModels.functions("f"), "calls itself"),
                new Case("mutual", dev.bantam.onnx.check.BadModels.functions("g"), "call each other in a cycle"),
                new Case("sparse", dev.bantam.onnx.check.BadModels.sparse(1L << 40), "lies outside the dense shape"),
                new Case("undefined", dev.bantam.onnx.check.BadModels.initializer(0, new byte[8], 2), "no data type"));
        for (Case c : cases) {
            Path m = dev.bantam.onnx.testing.CraftedModels.write(c.model(), dir.resolve(c.name() + ".onnx"));
            for (List<String> args : everyCommand(m)) {
                CliTest.Run r = CliTest.bantam(args.toArray(String[]::new));
                if (args.getFirst().equals("inspect")) {
                    assertTrue(r.out().contains(c.fragment()) || r.err().contains(c.fragment()), c.name() + ": " + r.out() + r.err());
                    continue;
                }
                assertEquals(1, r.code(), c.name() + " " + args + ": " + r.err());
                assertTrue(r.err().contains(c.fragment()), c.name() + " " + args + ": expected '" + c.fragment() + "' in " + r.err());
                assertFalse(r.err().contains("\tat "), r.err());
                assertFalse(Files.exists(dir.resolve("out.onnx")), c.name() + " " + args + ": nothing written");
            }
        }
    }
}
