package dev.bantam.compress.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.testing.Ort;
import dev.bantam.onnx.testing.RealModels;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic INT8: the expected operators, outputs close to float (on MiniLM at least as close as ONNX Runtime's
 * Python quantizer), refusal of quantized input.
 */
class DynamicQuantizerTest {

    @TempDir
    Path dir;

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** ids -> Gather(embedding) -> MatMul(W1) -> MatMul(W2), and x -> MatMul(W1) sharing the weight's input. */
    private static Model model() {
        Graph g = new Graph("g");
        Value ids = new Value("ids", ValueType.tensor(DataType.INT64, Shape.of(2, 5)));
        g.addInput(ids);
        Value emb = g.addInitializer(Tensor.ofFloats("emb", random(100 * 64, 1), 100, 64));
        Value w1 = g.addInitializer(Tensor.ofFloats("w1", random(64 * 32, 2), 64, 32));
        Value w2 = g.addInitializer(Tensor.ofFloats("w2", random(64 * 32, 3), 64, 32));
        Node gather = g.append(Node.of("Gather", List.of(emb, ids), List.of("e")));
        Node a = g.append(Node.of("MatMul", List.of(gather.output(0), w1), List.of("a")));
        Node b = g.append(Node.of("MatMul", List.of(gather.output(0), w2), List.of("b")));
        g.addOutput(a.output(0));
        g.addOutput(b.output(0));
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", 17));
        return m;
    }

    private static long count(Model m, String op) {
        return m.graph().nodes().stream().filter(n -> n.opType().equals(op)).count();
    }

    private static double cosine(Ort.Output x, Ort.Output y) {
        float[] a = new float[x.bytes().length / 4];
        float[] b = new float[a.length];
        MemorySegment.copy(MemorySegment.ofArray(x.bytes()), Tensor.FLOAT_LE, 0, a, 0, a.length);
        MemorySegment.copy(MemorySegment.ofArray(y.bytes()), Tensor.FLOAT_LE, 0, b, 0, b.length);
        double dot = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return dot / Math.sqrt(aa * bb);
    }

    @Test
    void matMulAndGatherBecomeIntegerOperatorsAndStayClose() throws Exception {
        Model m = model();
        Map<String, Tensor> feeds = Map.of("ids", Tensor.ofLongs("ids", new long[] {1, 5, 9, 13, 99, 0, 2, 4, 8, 16}, 2, 5));
        Path f = dir.resolve("f.onnx");
        ModelIO.save(m, f);
        var before = Ort.run(f, feeds);
        QuantizeReport r = DynamicQuantizer.quantize(m, QuantizeConfig.dynamicDefaults());
        assertEquals(3, r.layers().size());
        assertEquals(List.of(), ModelChecker.check(m).errors());
        assertEquals(2, count(m, "MatMulInteger"));
        assertEquals(1, count(m, "DynamicQuantizeLinear"), "the shared activation is quantized once");
        assertEquals(0, count(m, "MatMul"));
        assertTrue(m.graph().initializers().stream().noneMatch(v -> v.initializer().dataType() == DataType.FLOAT
                && v.initializer().elementCount() >= 1024), "no large float weight remains");
        Path q = dir.resolve("q.onnx");
        ModelIO.save(m, q);
        var after = Ort.run(q, feeds);
        for (String out : List.of("a", "b")) {
            assertTrue(cosine(before.get(out), after.get(out)) > 0.999, out + ": " + cosine(before.get(out), after.get(out)));
        }
        assertTrue(r.layers().stream().allMatch(l -> l.sqnrDb() > 30), r.layers().toString());
    }

    @Test
    void alreadyQuantizedModelsAreRefused() throws Exception {
        Model m = model();
        DynamicQuantizer.quantize(m, QuantizeConfig.dynamicDefaults());
        var e = assertThrows(IllegalArgumentException.class, () -> DynamicQuantizer.quantize(m, QuantizeConfig.dynamicDefaults()));
        assertTrue(e.getMessage().startsWith("the model is already quantized"), e.getMessage());
    }

    @Test
    void excludedAndSmallWeightsStayFloat() {
        Model m = model();
        QuantizeConfig c = QuantizeConfig.dynamicDefaults().withOps(QuantizeConfig.DYNAMIC_OPS,
                List.of(java.util.regex.Pattern.compile("^b$")), java.util.Set.of(), false);
        m.graph().nodes().get(2).setName("b");
        QuantizeReport r = DynamicQuantizer.quantize(m, c);
        assertEquals(2, r.layers().size());
        assertTrue(r.leftInFloat().stream().anyMatch(x -> x.contains("excluded")));
        assertEquals(1, count(m, "MatMul"));
    }

    @Test
    void miniLmQuantizesRunsAndStaysClose() throws Exception {
        RealModels.Case c = RealModels.minilm(dir);
        var before = Ort.run(c.model(), c.inputs()).get("last_hidden_state");
        Model m = ModelIO.load(c.model());
        QuantizeReport r = DynamicQuantizer.quantize(m, QuantizeConfig.dynamicDefaults());
        assertEquals(38, r.layers().size(), "36 MatMuls and 2 embedding tables");
        Path q = dir.resolve("minilm-q.onnx");
        ModelIO.save(m, q);
        assertTrue(java.nio.file.Files.size(q) < 23_000_000, "size " + java.nio.file.Files.size(q));
        var after = Ort.run(q, c.inputs()).get("last_hidden_state");
        Path peer = dev.bantam.onnx.testing.TestData.classpathModel("all-minilm-l6-v2-q.onnx", dir);
        var python = Ort.run(peer, c.inputs()).get("last_hidden_state");
        double ours = cosine(before, after);
        double theirs = cosine(before, python);
        assertTrue(ours >= theirs, "token states: Bantam's cosine " + ours + " < the Python quantizer's " + theirs);
    }

    @Test
    void anOpset9ModelIsRaisedTo11AndRuns() throws Exception {
        Path ocr = dev.bantam.onnx.testing.TestData.repoModel("ocr-cls.onnx");
        Model m = ModelIO.load(ocr);
        QuantizeConfig c = QuantizeConfig.dynamicDefaults().withOps(java.util.Set.of("MatMul"), List.of(), java.util.Set.of(), false);
        QuantizeReport r = DynamicQuantizer.quantize(m, c);
        assertEquals(11, m.opsetVersion("").orElseThrow());
        assertTrue(r.leftInFloat().get(0).startsWith("opset raised from 9 to 11"), r.leftInFloat().toString());
        assertEquals(List.of(), ModelChecker.check(m).errors());
        Path q = dir.resolve("ocr-dyn.onnx");
        ModelIO.save(m, q);
        Random rnd = new Random(3);
        float[] x = new float[2 * 3 * 48 * 192];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat();
        }
        Map<String, Tensor> feeds = Map.of("x", Tensor.ofFloats("x", x, 2, 3, 48, 192));
        assertEquals(Ort.run(ocr, feeds).keySet(), Ort.run(q, feeds).keySet());
    }

    @Test
    void convAndGemmOnRequest() {
        QuantizeConfig c = QuantizeConfig.dynamicDefaults().withOps(java.util.Set.of("Conv", "Gemm"), List.of(),
                java.util.Set.of(), false);
        for (java.util.function.Supplier<Model> graph : List.<java.util.function.Supplier<Model>>of(
                StaticGraphs::convReluPool, StaticGraphs::gemm)) {
            Model m = graph.get();
            Map<String, Tensor> feeds = StaticQuantizerTest.feeds(m, 21, 3);
            float[] expected = StaticQuantizerTest.run(m, feeds).toFloatArray();
            QuantizeReport r = DynamicQuantizer.quantize(m, c);
            assertEquals(List.of(), ModelChecker.check(m).errors());
            Map<String, Integer> counts = StaticQuantizerTest.counts(m);
            int weighted = r.layers().size();
            assertTrue(weighted >= 1, r.layers().toString());
            assertEquals(weighted, counts.getOrDefault("ConvInteger", 0) + counts.getOrDefault("MatMulInteger", 0), counts.toString());
            long small = r.leftInFloat().stream().filter(x -> x.contains("smaller than")).count();
            assertEquals(small, counts.getOrDefault("Conv", 0) + counts.getOrDefault("Gemm", 0), counts + " " + r.leftInFloat());
            double cos = StaticQuantizerTest.cosine(expected, StaticQuantizerTest.run(m, feeds).toFloatArray());
            assertTrue(cos > 0.999, "cosine to float " + cos + " " + counts);
        }
    }
}
