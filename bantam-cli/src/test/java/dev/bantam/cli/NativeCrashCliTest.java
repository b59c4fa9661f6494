package dev.bantam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ir.serde.proto.Onnx;
import dev.bantam.onnx.testing.CraftedModels;
import dev.bantam.onnx.testing.TestData;
import dev.bantam.runtime.isolate.JvmCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash inside ONNX Runtime's native code is one line naming the signal and the model, exit code 1, no output file
 * and no temporary file left, for every command that runs a model. The CLI runs as a user starts it, in its own JVM
 * (it starts the child that crashes). The model divides integers by a difference of a value with itself: valid, so
 * no checker can refuse it, and ONNX Runtime 1.24.1 dies of SIGFPE on any input.
 */
class NativeCrashCliTest {

    @TempDir
    Path dir;

    private Path tmp;
    private Path model;

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void writeModel() throws Exception {
        tmp = Files.createDirectories(dir.resolve("tmp"));
        model = CraftedModels.write(divisionByZero(), dir.resolve("divzero.onnx"));
    }

    /** Y = X·W + float(int(X) / (int(X) - int(X))), X float[batch, 4]: a weighted layer to calibrate, then the fault. */
    static Onnx.ModelProto.Builder divisionByZero() {
        Onnx.TypeProto io = Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(1)
                .setShape(Onnx.TensorShapeProto.newBuilder()
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(4)))).build();
        float[] w = new float[16];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.25f * (i % 5) - 0.5f;
        }
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("divzero")
                .addInput(Onnx.ValueInfoProto.newBuilder().setName("X").setType(io))
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName("Y").setType(io))
                .addInitializer(CraftedModels.floats("W", w).toBuilder().clearDims().addDims(4).addDims(4))
                .addNode(node("MatMul", "H", "X", "W"))
                .addNode(cast(node("Cast", "Xi", "X"), 6))
                .addNode(node("Sub", "Z", "Xi", "Xi"))
                .addNode(node("Div", "Q", "Xi", "Z"))
                .addNode(cast(node("Cast", "Qf", "Q"), 1))
                .addNode(node("Add", "Y", "H", "Qf"));
        return Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerName("bantam-tests")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(g);
    }

    private static Onnx.NodeProto.Builder node(String op, String out, String... in) {
        Onnx.NodeProto.Builder b = Onnx.NodeProto.newBuilder().setOpType(op).setName(out).addOutput(out);
        for (String i : in) {
            b.addInput(i);
        }
        return b;
    }

    private static Onnx.NodeProto.Builder cast(Onnx.NodeProto.Builder b, int to) {
        return b.addAttribute(Onnx.AttributeProto.newBuilder().setName("to").setType(Onnx.AttributeProto.AttributeType.INT)
                .setI(to));
    }

    /** The CLI in a JVM of its own, its temporary folder {@link #tmp}; the test JVM's incubator warning dropped. */
    private Run bantam(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JvmCommand.javaExecutable()));
        cmd.addAll(JvmCommand.inheritedOptions());
        cmd.addAll(List.of("-Djava.io.tmpdir=" + tmp, "-cp", JvmCommand.classPath(), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().remove("BANTAM_ISOLATE");
        int code = pb.start().waitFor();
        Run r = new Run(code, Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8)
                        .replaceAll("(?m)^WARNING: Using incubator modules.*\n", ""));
        Files.delete(dir.resolve("stdout.txt"));
        Files.delete(dir.resolve("stderr.txt"));
        return r;
    }

    private void assertCrashReported(Run r, String models) throws Exception {
        assertEquals(1, r.code(), r.err());
        assertEquals("bantam: ONNX Runtime crashed (SIGFPE) while running " + models + "; nothing was written\n", r.err());
        assertEquals("", r.out(), "nothing of the JVM's crash report on stdout");
        try (Stream<Path> left = Files.walk(dir)) {
            assertEquals(List.of(dir, model, tmp), left.sorted().toList(), "no output, no temporary file");
        }
    }

    @Test
    void evalCrashIsOneLine() throws Exception {
        assertCrashReported(bantam("eval", "--quiet", "--model", "divzero.onnx", "--data", "synthetic:4", "--task", "raw",
                "--json", "out/r.json", "--html", "r.html"), "divzero.onnx");
    }

    @Test
    void benchCrashIsOneLine() throws Exception {
        Path tiny = TestData.repoModel("fmnist/tiny.onnx");
        assertCrashReported(bench(tiny), tiny + " and divzero.onnx");
    }

    private Run bench(Path tiny) throws Exception {
        return bantam("bench", "--quiet", tiny.toString(), "divzero.onnx", "--data", "synthetic:1", "--warmup", "1",
                "--rounds", "1", "--iterations", "1", "--json", "b.json");
    }

    @Test
    void staticQuantizeCrashIsOneLine() throws Exception {
        assertCrashReported(bantam("quantize", "--quiet", "divzero.onnx", "-o", "q.onnx", "--mode", "static",
                "--calibration-data", "synthetic:8", "--json", "q.json", "--html", "q.html"), "divzero.onnx");
    }

    @Test
    void compressWithACalibratingRecipeCrashIsOneLine() throws Exception {
        Path recipe = Files.writeString(tmp.resolve("r.yaml"), "bantam-recipe: 1\nsteps:\n  - quantize-static: {}\n");
        Run r = bantam("compress", "--quiet", "divzero.onnx", "-o", "c.onnx", "--recipe", recipe.toString(), "--data",
                "synthetic:8");
        Files.delete(recipe);
        assertCrashReported(r, "divzero.onnx");
    }

    @Test
    void aModelThatRunsIsUnaffected() throws Exception {
        Run r = bantam("eval", "--quiet", "--model", TestData.repoModel("fmnist/tiny.onnx").toString(), "--data",
                "synthetic:4", "--task", "raw", "--json", "r.json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("latency p50/p90/p99"), r.out());
        assertTrue(Files.isRegularFile(dir.resolve("r.json")));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.count(), "the child's temporary folder is gone");
        }
    }
}
