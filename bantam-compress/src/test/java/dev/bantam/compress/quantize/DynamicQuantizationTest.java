package dev.bantam.compress.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Decision;
import dev.bantam.compress.testing.Graphs;
import dev.bantam.compress.testing.Runs;
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
class DynamicQuantizationTest {

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

    /** A bidirectional LSTM with bias, peepholes and all three outputs: X [6, 2, 16], hidden 24. */
    private static Model lstm() {
        Graph g = new Graph("g");
        Value x = new Value("x", ValueType.tensor(DataType.FLOAT, Shape.of(6, 2, 16)));
        g.addInput(x);
        Value w = g.addInitializer(Tensor.ofFloats("W", scaled(random(2 * 96 * 16, 4), 0.3f), 2, 96, 16));
        Value r = g.addInitializer(Tensor.ofFloats("R", scaled(random(2 * 96 * 24, 5), 0.2f), 2, 96, 24));
        Value b = g.addInitializer(Tensor.ofFloats("B", scaled(random(2 * 192, 6), 0.1f), 2, 192));
        Value p = g.addInitializer(Tensor.ofFloats("P", scaled(random(2 * 72, 7), 0.1f), 2, 72));
        Node n = g.append(Node.of("LSTM", java.util.Arrays.asList(x, w, r, b, null, null, null, p), List.of("y", "y_h", "y_c"),
                dev.bantam.onnx.ir.Attribute.ofInt("hidden_size", 24),
                dev.bantam.onnx.ir.Attribute.ofString("direction", "bidirectional")));
        n.outputs().forEach(g::addOutput);
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", 17));
        return m;
    }

    private static float[] scaled(float[] v, float s) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= s;
        }
        return v;
    }

    /** LSTM becomes DynamicQuantizeLSTM per gate row or per direction; outputs stay close to float in ONNX Runtime. */
    @Test
    void lstmBecomesDynamicQuantizeLstm() {
        for (boolean perChannel : new boolean[] {true, false}) {
            Model m = lstm();
            Map<String, Tensor> feeds = Runs.feeds(m, 11, 6);
            float[] expected = Runs.run(m, feeds);
            DynamicQuantizeConfig c = DynamicQuantizeConfig.defaults();
            if (!perChannel) {
                c = c.withWeights(new dev.bantam.compress.WeightNumerics(8, true, true,
                        dev.bantam.compress.Granularity.PER_TENSOR, 0));
            }
            QuantizeReport report = quantize(m, c);
            assertEquals(List.of(), ModelChecker.check(m).errors());
            assertEquals(1, count(m, "DynamicQuantizeLSTM"));
            assertEquals(0, count(m, "LSTM"));
            assertEquals(2, report.tensors().size(), "W and R");
            assertTrue(report.tensors().stream().allMatch(t -> t.sqnrDb() > 35), report.tensors().toString());
            double cos = Runs.cosine(expected, Runs.run(m, feeds));
            assertTrue(cos > 0.9995, (perChannel ? "per gate row" : "per direction") + ": cosine " + cos);
        }
    }

    /** A bidirectional GRU (3 gates) or RNN (1) with bias: X [6, 2, 16], hidden 24. */
    private static Model recurrent(String op, int gates) {
        Graph g = new Graph("g");
        Value x = new Value("x", ValueType.tensor(DataType.FLOAT, Shape.of(6, 2, 16)));
        g.addInput(x);
        Value w = g.addInitializer(Tensor.ofFloats("W", scaled(random(2 * gates * 24 * 16, 8), 0.3f), 2, gates * 24, 16));
        Value r = g.addInitializer(Tensor.ofFloats("R", scaled(random(2 * gates * 24 * 24, 9), 0.2f), 2, gates * 24, 24));
        Value b = g.addInitializer(Tensor.ofFloats("B", scaled(random(2 * 2 * gates * 24, 10), 0.1f), 2, 2 * gates * 24));
        List<dev.bantam.onnx.ir.Attribute> attrs = new java.util.ArrayList<>(List.of(
                dev.bantam.onnx.ir.Attribute.ofInt("hidden_size", 24),
                dev.bantam.onnx.ir.Attribute.ofString("direction", "bidirectional")));
        if (op.equals("GRU")) {
            attrs.add(dev.bantam.onnx.ir.Attribute.ofInt("linear_before_reset", 1));
        }
        Node n = g.append(Node.of(op, List.of(x, w, r, b), List.of("y", "y_h"),
                attrs.toArray(new dev.bantam.onnx.ir.Attribute[0])));
        n.outputs().forEach(g::addOutput);
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", 17));
        return m;
    }

    /** GRU and RNN (no integer kernel in ONNX Runtime): int8 weights rebuilt at load, outputs close to float. */
    @Test
    void gruAndRnnStoreInt8WeightsRebuiltAtLoad() {
        for (String op : List.of("GRU", "RNN")) {
            for (boolean perRow : new boolean[] {true, false}) {
                Model m = recurrent(op, op.equals("GRU") ? 3 : 1);
                Map<String, Tensor> feeds = Runs.feeds(m, 12, 6);
                float[] expected = Runs.run(m, feeds);
                long floatBytes = initializerBytes(m);
                DynamicQuantizeConfig c = DynamicQuantizeConfig.defaults();
                if (!perRow) {
                    c = c.withWeights(new dev.bantam.compress.WeightNumerics(8, true, true,
                            dev.bantam.compress.Granularity.PER_TENSOR, 0));
                }
                QuantizeReport report = quantize(m, c);
                assertEquals(List.of(), ModelChecker.check(m).errors());
                assertEquals(1, count(m, op), "the layer itself stays");
                Node layer = m.graph().nodes().stream().filter(n -> n.opType().equals(op)).findFirst().orElseThrow();
                assertEquals("Mul", layer.input(1).producer().opType(), "W rebuilt in front of it");
                assertEquals("Mul", layer.input(2).producer().opType(), "R too");
                assertEquals(2, report.tensors().size(), "W and R");
                assertTrue(report.tensors().stream().allMatch(t -> t.sqnrDb() > 35), report.tensors().toString());
                assertTrue(initializerBytes(m) < floatBytes * 0.45, initializerBytes(m) + " of " + floatBytes);
                double cos = Runs.cosine(expected, Runs.run(m, feeds));
                assertTrue(cos > 0.9995, op + (perRow ? " per gate row" : " per tensor") + ": cosine " + cos);
            }
        }
    }

    private static long initializerBytes(Model m) {
        return m.graph().initializers().stream().mapToLong(v -> v.constantValue().orElseThrow().storedByteSize()).sum();
    }

    static QuantizeReport quantize(Model m, DynamicQuantizeConfig c) {
        return new DynamicQuantization().apply(m, c, CompressionContext.withoutData());
    }

    static DynamicQuantizeConfig ops(String... ops) {
        DynamicQuantizeConfig d = DynamicQuantizeConfig.defaults();
        return d.withScope(d.scope().withOpTypes(List.of(ops)));
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
        QuantizeReport r = quantize(m, DynamicQuantizeConfig.defaults());
        assertEquals(3, r.tensors().size());
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
        assertTrue(r.tensors().stream().allMatch(l -> l.sqnrDb() > 30), r.tensors().toString());
    }

    /**
     * Issue 11: weights inside If branches, one held by the branch, one captured from the main graph, are quantized
     * where they are read, and the model still runs in ONNX Runtime and stays close.
     */
    @Test
    void weightsInsideIfBranchesAreQuantized() throws Exception {
        Graph g = new Graph("g");
        Value x = new Value("x", ValueType.tensor(DataType.FLOAT, Shape.of(3, 64)));
        Value flag = new Value("flag", ValueType.tensor(DataType.BOOL, Shape.of()));
        g.addInput(x);
        g.addInput(flag);
        Value outer = g.addInitializer(Tensor.ofFloats("outer_w", random(64 * 32, 4), 64, 32));
        Graph then = new Graph("then");
        Value inner = then.addInitializer(Tensor.ofFloats("inner_w", random(64 * 32, 5), 64, 32));
        then.addOutput(then.append(Node.of("MatMul", List.of(x, inner), List.of("t"))).output(0));
        Graph otherwise = new Graph("else");
        otherwise.addOutput(otherwise.append(Node.of("MatMul", List.of(x, outer), List.of("e"))).output(0));
        Node iff = g.append(Node.of("If", List.of(flag), List.of("y"), dev.bantam.onnx.ir.Attribute.of("then_branch", new dev.bantam.onnx.ir.AttributeValue.GraphValue(then)),
                dev.bantam.onnx.ir.Attribute.of("else_branch", new dev.bantam.onnx.ir.AttributeValue.GraphValue(otherwise))));
        g.addOutput(iff.output(0));
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", 17));
        Path f = dir.resolve("f.onnx");
        ModelIO.save(m, f);
        Tensor xv = Tensor.ofFloats("x", random(3 * 64, 6), 3, 64);
        QuantizeReport r = quantize(m, DynamicQuantizeConfig.defaults());
        assertEquals(2, r.tensors().size(), r.tensors().toString());
        assertTrue(r.notes().contains("2 of the quantized nodes are inside If/Loop/Scan bodies"), r.notes().toString());
        assertEquals(List.of(), ModelChecker.check(m).errors());
        Path q = dir.resolve("q.onnx");
        ModelIO.save(m, q);
        for (boolean branch : new boolean[] {true, false}) {
            Tensor fv = Tensor.ofBytes("flag", DataType.BOOL, new long[0], MemorySegment.ofArray(new byte[] {(byte) (branch ? 1 : 0)}));
            Map<String, Tensor> feeds = Map.of("x", xv, "flag", fv);
            double cos = cosine(Ort.run(f, feeds).get("y"), Ort.run(q, feeds).get("y"));
            assertTrue(cos > 0.999, "branch " + branch + ": cosine " + cos);
        }
        Model saved = ModelIO.load(q);
        assertTrue(saved.graph().initializers().stream().noneMatch(v -> v.name().equals("outer_w")),
                "the captured float weight is gone from the main graph");
        long integer = saved.graph().graphsRecursive().stream().flatMap(b -> b.nodes().stream())
                .filter(n -> n.opType().equals("MatMulInteger")).count();
        assertEquals(2, integer);
    }

    @Test
    void alreadyQuantizedModelsAreRefused() throws Exception {
        Model m = model();
        quantize(m, DynamicQuantizeConfig.defaults());
        var e = assertThrows(IllegalArgumentException.class, () -> quantize(m, DynamicQuantizeConfig.defaults()));
        assertTrue(e.getMessage().startsWith("the model is already quantized"), e.getMessage());
    }

    @Test
    void excludedAndSmallWeightsStayFloat() {
        Model m = model();
        DynamicQuantizeConfig c = ops("MatMul", "Gather", "Gemm", "Conv");
        c = c.withScope(c.scope().withExclusions(List.of(), List.of("^b$")));
        m.graph().nodes().get(2).setName("b");
        QuantizeReport r = quantize(m, c);
        assertEquals(2, r.tensors().size());
        assertTrue(r.decisions().stream().anyMatch(d -> !d.applied() && d.reason().equals("excluded by name")));
        assertEquals(1, count(m, "MatMul"));
    }

    @Test
    void miniLmQuantizesRunsAndStaysClose() throws Exception {
        RealModels.Case c = RealModels.minilm(dir);
        var before = Ort.run(c.model(), c.inputs()).get("last_hidden_state");
        Model m = ModelIO.load(c.model());
        QuantizeReport r = quantize(m, DynamicQuantizeConfig.defaults());
        assertEquals(38, r.tensors().size(), "36 MatMuls and 2 embedding tables");
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
        var none = assertThrows(IllegalArgumentException.class, () -> quantize(ModelIO.load(ocr), ops("MatMul")));
        assertTrue(none.getMessage().startsWith("nothing to quantize: no MatMul node"), none.getMessage());
        QuantizeReport r = quantize(m, ops("MatMul", "Conv"));
        assertTrue(r.tensors().size() > 20, "convolutions quantized");
        assertEquals(11, m.opsetVersion("").orElseThrow());
        assertTrue(r.notes().get(0).startsWith("opset raised from 9 to 11"), r.notes().toString());
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
        DynamicQuantizeConfig c = ops("Conv", "Gemm");
        for (java.util.function.Supplier<Model> graph : List.<java.util.function.Supplier<Model>>of(
                Graphs::convReluPool, Graphs::gemm)) {
            Model m = graph.get();
            Map<String, Tensor> feeds = Runs.feeds(m, 21, 3);
            float[] expected = Runs.run(m, feeds);
            QuantizeReport r = quantize(m, c);
            assertEquals(List.of(), ModelChecker.check(m).errors());
            Map<String, Integer> counts = Runs.counts(m);
            int weighted = r.tensors().size();
            assertTrue(weighted >= 1, r.tensors().toString());
            assertEquals(weighted, counts.getOrDefault("ConvInteger", 0) + counts.getOrDefault("MatMulInteger", 0), counts.toString());
            long small = r.decisions().stream().filter(d -> d.reason().contains("smaller than")).count();
            assertEquals(small, counts.getOrDefault("Conv", 0) + counts.getOrDefault("Gemm", 0), counts + " " + r.decisions());
            double cos = Runs.cosine(expected, Runs.run(m, feeds));
            assertTrue(cos > 0.999, "cosine to float " + cos + " " + counts);
        }
    }

    @Test
    void everyWeightOptionIsHonoured() {
        Model m = model();
        Map<String, Tensor> feeds = Map.of("ids", Tensor.ofLongs("ids", new long[] {1, 5, 9, 13, 99, 0, 2, 4, 8, 16}, 2, 5));
        float[] expected = Runs.run(m, feeds);
        DynamicQuantizeConfig d = DynamicQuantizeConfig.defaults();
        DynamicQuantizeConfig c = d.withWeights(d.weights().withBits(7).withSigned(false)
                .withGranularity(dev.bantam.compress.Granularity.PER_TENSOR));
        QuantizeReport r = quantize(m, c);
        for (QuantizedTensor t : r.tensors()) {
            assertEquals(DataType.UINT8, t.scheme().type(), t.tensor());
            assertEquals(dev.bantam.compress.Granularity.PER_TENSOR, t.scheme().granularity(), t.tensor());
        }
        for (Value v : m.graph().initializers()) {
            Tensor t = v.initializer();
            if (t.dataType() == DataType.UINT8 && t.elementCount() > 1) {
                byte[] q = new byte[(int) t.elementCount()];
                MemorySegment.copy(t.bytes(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0, q, 0, q.length);
                boolean matrix = v.uses().stream().anyMatch(u -> u.node().isStandard("MatMulInteger"));
                int limit = matrix ? 63 : 127; // 7-bit products; embedding tables keep 8 bits
                for (byte b : q) {
                    assertTrue(Math.abs((b & 0xff) - 128) <= limit, v.name() + ": " + ((b & 0xff) - 128));
                }
            }
        }
        assertTrue(m.graph().initializers().stream().noneMatch(v -> v.initializer().dataType() == DataType.INT8));
        double cos = Runs.cosine(expected, Runs.run(m, feeds));
        assertTrue(cos > 0.99, "uint8 per-tensor 7-bit stays close: " + cos);
    }

    @Test
    void keepFirstLastAndExcludedOpTypesLeaveThoseLayersAlone() {
        Model m = model();
        DynamicQuantizeConfig c = DynamicQuantizeConfig.defaults();
        QuantizeReport r = quantize(m, c.withScope(c.scope().withKeepFirstLast(true)));
        assertEquals(2, count(m, "MatMul"), "both MatMuls are the first and the last weighted layer");
        assertEquals(2, r.decisions().stream().filter(x -> x.reason().contains("first or last")).count());
        Model e = model();
        QuantizeReport r2 = quantize(e, c.withScope(c.scope().withExclusions(List.of("Gather"), List.of())));
        assertEquals(1, count(e, "Gather"));
        assertTrue(e.graph().initializer("emb") != null, "the table stays float");
        assertTrue(r2.decisions().stream().anyMatch(x -> x.opType().equals("Gather") && !x.applied()));
    }

    @Test
    void unnamedNodesAreExcludedByTheirDisplayName() {
        Model m = model(); // nodes are unnamed: reports show them as "MatMul producing 'b'"
        DynamicQuantizeConfig c = DynamicQuantizeConfig.defaults();
        quantize(m, c.withScope(c.scope().withExclusions(List.of(), List.of("MatMul producing 'b'"))));
        assertEquals(1, count(m, "MatMul"));
        assertEquals(1, count(m, "MatMulInteger"));
    }

    @Test
    void optionsDynamicModeCannotHonourAreRefused() {
        DynamicQuantizeConfig d = DynamicQuantizeConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withWeights(d.weights().withBits(4)));
        assertThrows(IllegalArgumentException.class, () -> d.withWeights(new dev.bantam.compress.WeightNumerics(8, true,
                false, dev.bantam.compress.Granularity.PER_CHANNEL, 0)));
        assertThrows(IllegalArgumentException.class, () -> d.withWeights(new dev.bantam.compress.WeightNumerics(8, true,
                true, dev.bantam.compress.Granularity.PER_BLOCK, 32)));
        var e = assertThrows(IllegalArgumentException.class, () -> ops("Softmax"));
        assertTrue(e.getMessage().contains("cannot handle Softmax"), e.getMessage());
    }
}
