package dev.bantam.runtime.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.compress.half.Compute;
import dev.bantam.compress.half.HalfNode;
import dev.bantam.compress.half.HalfPrecision;
import dev.bantam.compress.half.HalfPrecisionConfig;
import dev.bantam.compress.half.HalfPrecisionReport;
import dev.bantam.compress.half.HalfType;
import dev.bantam.compress.half.Target;
import dev.bantam.compress.testing.Runs;
import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.testing.RealModels;
import dev.bantam.onnx.testing.TestData;
import dev.bantam.runtime.data.ArraySource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The half-precision conversion end to end through {@link OrtContext}: operators judged by the magnitudes their
 * values take on calibration data, the fmnist ResNet and MiniLM converted, loaded by ONNX Runtime and compared with
 * float, a fidelity target met by returning weights to float32, and a model ONNX Runtime cannot load refused.
 */
class HalfPrecisionContextTest {

    @TempDir
    Path dir;

    static final String SAMPLE = TestData.repoModel("fmnist/sample").toString();

    @Test
    void operatorsWhoseValuesExceedFp16OnCalibrationDataStayFloat() {
        Map<String, Tensor> data = Map.of("x", random(64, 16));
        HalfPrecisionConfig any = HalfPrecisionConfig.defaults().withCompute(Compute.HALF).withTarget(Target.ANY);
        Model blind = scaledStack();
        HalfPrecisionReport unmeasured = new HalfPrecision().apply(blind, any, OrtContext.builder().build());
        assertEquals(unmeasured.nodes().size(), unmeasured.halfNodes(), "nothing measured, nothing kept");

        Model m = scaledStack();
        float[] expected = Runs.run(m, Map.of("x", random(4, 16)));
        HalfPrecisionReport r = new HalfPrecision().apply(m, any.withDataAware(true), OrtContext.builder()
                .calibrationSource("arrays", inputs -> new ArraySource(data, "arrays")).build());
        for (HalfNode n : r.nodes()) {
            boolean scaled = n.opType().equals("Mul") || n.opType().equals("Max");
            assertEquals(!scaled, n.half(), n.toString());
            assertTrue(n.maxAbs() != null && n.belowNormal() != null, "measured: " + n);
            if (scaled) {
                assertTrue(n.maxAbs() > 65504 && n.reason().contains("on calibration data; fp16's largest value is 65504"),
                        n.toString());
            }
        }
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("measured on 64 calibration items")), r.notes().toString());
        assertEquals(List.of(), ModelChecker.check(m).errors());
        float[] actual = Runs.run(m, Map.of("x", random(4, 16)));
        assertTrue(allFinite(actual) && Runs.cosine(expected, actual) > 0.9999, "the kept operators keep it finite");
    }

    @Test
    void resnetInEveryFormLoadsRunsAndStaysCloseToFloat() throws Exception {
        Path in = TestData.repoModel("fmnist/resnet.onnx");
        String eval = "fmnist:" + SAMPLE + ",limit=128";
        HalfPrecisionConfig d = HalfPrecisionConfig.defaults();
        for (HalfPrecisionConfig c : List.of(d, d.withType(HalfType.BF16), d.withCompute(Compute.HALF).withTarget(Target.ANY)
                .withDataAware(true), d.withType(HalfType.BF16).withCompute(Compute.HALF))) {
            Model m = ModelIO.load(in);
            HalfPrecisionReport r = new HalfPrecision().apply(m, c, OrtContext.builder()
                    .calibrationData("fmnist:" + SAMPLE + ",split=train,limit=64").evaluationData(eval).build());
            Path out = dir.resolve("resnet-" + System.nanoTime() + ".onnx");
            ModelIO.save(m, out);
            String what = c.type() + " " + c.compute() + " " + c.target();
            assertTrue(Files.size(out) <= 0.52 * Files.size(in), what + ": " + Files.size(out));
            assertTrue(r.fidelity().meanCosine() > 0.9999 && r.fidelity().top1Agreement() >= 0.99, what + ": " + r.fidelity());
            assertEquals(128, r.fidelity().items());
        }
    }

    @Test
    void aFidelityTargetReturnsTheWeightsThatLoseMostToFloat() throws Exception {
        Model m = ModelIO.load(TestData.repoModel("fmnist/cnn.onnx"));
        HalfPrecisionConfig c = HalfPrecisionConfig.defaults().withType(HalfType.BF16).withMinFidelity(0.9999999);
        OrtContext context = OrtContext.builder().evaluationData("fmnist:" + SAMPLE + ",limit=64").build();
        HalfPrecisionReport r = new HalfPrecision().apply(m, c, context);
        assertTrue(r.fidelity().meanCosine() >= 0.9999999 || r.notes().stream().anyMatch(n -> n.contains("not met")),
                r.notes().toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("returned to float32 over")), r.notes().toString());
    }

    @Test
    void aModelOnnxRuntimeCannotLoadIsRefusedAndTheInputIsLeftAsItWas() throws Exception {
        Model m = ModelIO.load(TestData.repoModel("fmnist/cnn.onnx"));
        byte[] before = dev.bantam.onnx.ir.serde.OnnxSerde.toBytes(m);
        HalfPrecisionConfig c = HalfPrecisionConfig.defaults().withType(HalfType.BF16).withCompute(Compute.HALF)
                .withTarget(Target.ANY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HalfPrecision().apply(m, c, OrtContext.builder().build()));
        assertTrue(e.getMessage().startsWith("half-precision: ONNX Runtime's CPU provider cannot load the bf16 model (")
                && e.getMessage().endsWith("target ort-cpu keeps half arithmetic on the operators it has kernels for"),
                e.getMessage());
        assertTrue(java.util.Arrays.equals(before, dev.bantam.onnx.ir.serde.OnnxSerde.toBytes(m)), "the model is unchanged");
    }

    @Test
    void miniLmKeepsItsEmbeddingsInHalfTheFile() throws Exception {
        RealModels.Case c = RealModels.minilm(dir);
        Model m = ModelIO.load(c.model());
        HalfPrecisionReport r = new HalfPrecision().apply(m, HalfPrecisionConfig.defaults().withCompute(Compute.HALF)
                .withDataAware(true), OrtContext.builder().calibrationSource("arrays",
                inputs -> new ArraySource(c.inputs(), "arrays")).build());
        assertEquals(0, r.runtimeCasts(), "ONNX Runtime's CPU provider has no fp16 kernel MiniLM's arithmetic could use");
        Path out = dir.resolve("minilm-fp16.onnx");
        ModelIO.save(m, out);
        assertTrue(Files.size(out) <= 0.52 * Files.size(c.model()), "" + Files.size(out));
        float[] expected = Runs.run(ModelIO.load(c.model()), c.inputs());
        float[] actual = Runs.run(ModelIO.load(out), c.inputs());
        assertTrue(Runs.cosine(expected, actual) >= 0.9999, "cosine " + Runs.cosine(expected, actual));
    }

    /**
     * x → MatMul → Relu → Mul 60000 → Max 0 → Mul 1/60000 → MatMul → Relu → MatMul → y: the scaled values exceed
     * fp16's range (an fp16 kernel would make them infinite; ONNX Runtime's CPU provider, lacking most, computes
     * such a chain in float32 islands and hides it).
     */
    private static Model scaledStack() {
        Graph g = new Graph("g");
        Value x = new Value("x", ValueType.tensor(DataType.FLOAT, Shape.of(-1, 16)));
        g.addInput(x);
        Value h = op(g, "Relu", op(g, "MatMul", x, weight(g, "w1")));
        Value big = op(g, "Mul", h, g.addInitializer(Tensor.ofFloats("up", new float[] {60000f})));
        Value clipped = op(g, "Max", big, g.addInitializer(Tensor.ofFloats("zero", new float[] {0f})));
        Value back = op(g, "Mul", clipped, g.addInitializer(Tensor.ofFloats("down", new float[] {1f / 60000})));
        Value y = op(g, "MatMul", op(g, "Relu", op(g, "MatMul", back, weight(g, "w2"))), weight(g, "w3"));
        g.addOutput(y);
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", 13));
        return m;
    }

    private static Value op(Graph g, String type, Value... inputs) {
        return g.append(Node.of(type, List.of(inputs), List.of(g.uniqueName(type.toLowerCase())), new Attribute[0])).output(0);
    }

    private static Value weight(Graph g, String name) {
        Random r = new Random(name.hashCode());
        float[] w = new float[16 * 16];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * 0.5);
        }
        return g.addInitializer(Tensor.ofFloats(name, w, 16, 16));
    }

    private static Tensor random(int n, int width) {
        Random r = new Random(11);
        float[] v = new float[n * width];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return Tensor.ofFloats("x", v, n, width);
    }

    private static boolean allFinite(float[] v) {
        for (float f : v) {
            if (!Float.isFinite(f)) {
                return false;
            }
        }
        return true;
    }
}
