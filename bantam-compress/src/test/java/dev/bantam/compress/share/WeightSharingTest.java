package dev.bantam.compress.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Granularity;
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
import dev.bantam.onnx.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weight sharing on graphs built in code and on real models: outputs close to float in ONNX Runtime, the
 * decoding folded away when ONNX Runtime loads the model, files smaller by the index width, identical weights
 * encoded once, and every codebook kind.
 */
class WeightSharingTest {

    @TempDir
    Path dir;

    static WeightSharingReport share(Model m, WeightSharingConfig c) {
        WeightSharingConfig small = c.withScope(c.scope().withMinWeightSize(16));
        return new WeightSharing().apply(m, small, CompressionContext.withoutData());
    }

    /** x -> MatMul(W) and ids -> Gather(table), W read twice through two identical initializers. */
    static Model matMulAndTable() {
        Graph g = new Graph("g");
        Random r = new Random(3);
        float[] w = new float[64 * 32];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian() * 0.1f;
        }
        float[] t = new float[100 * 16];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) r.nextGaussian();
        }
        Value x = new Value("x", ValueType.tensor(DataType.FLOAT, Shape.of(2, 64)));
        Value ids = new Value("ids", ValueType.tensor(DataType.INT64, Shape.of(2, 3)));
        g.addInput(x);
        g.addInput(ids);
        Value w1 = g.addInitializer(Tensor.ofFloats("w1", w, 64, 32));
        Value w2 = g.addInitializer(Tensor.ofFloats("w2", w.clone(), 64, 32));
        Value table = g.addInitializer(Tensor.ofFloats("table", t, 100, 16));
        Node a = g.append(Node.of("MatMul", List.of(x, w1), List.of("a")));
        Node b = g.append(Node.of("MatMul", List.of(x, w2), List.of("b")));
        Node e = g.append(Node.of("Gather", List.of(table, ids), List.of("e")));
        g.addOutput(a.output(0));
        g.addOutput(b.output(0));
        g.addOutput(e.output(0));
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", 13));
        return m;
    }

    @Test
    void everyCodebookOnGraphsBuiltInCode() {
        List<WeightSharingConfig> configs = List.of(WeightSharingConfig.kmeans(16, Granularity.PER_TENSOR),
                WeightSharingConfig.kmeans(4, Granularity.PER_CHANNEL), WeightSharingConfig.kmeans(200, Granularity.PER_TENSOR),
                uniform(16, Granularity.PER_CHANNEL), WeightSharingConfig.logarithmic(Codebook.LOG2, 5, Granularity.PER_CHANNEL, false),
                WeightSharingConfig.logarithmic(Codebook.LOG_SQRT2, 4, Granularity.PER_TENSOR, true));
        for (Supplier<Model> graph : List.<Supplier<Model>>of(Graphs::convReluPool, Graphs::gemm, Graphs::convTranspose)) {
            for (WeightSharingConfig c : configs) {
                Model m = graph.get();
                Map<String, Tensor> feeds = Runs.feeds(m, 5, 2);
                float[] expected = Runs.run(m, feeds);
                WeightSharingReport r = share(m, c);
                assertEquals(List.of(), ModelChecker.check(m).errors());
                double cos = Runs.cosine(expected, Runs.run(m, feeds));
                double floor = c.levels() >= 15 ? 0.98 : 0.9;
                assertTrue(cos > floor, c.codebook() + " " + c.levels() + " " + c.granularity() + ": cosine " + cos);
                assertTrue(r.bytesAfter() < r.bytesBefore(), "smaller: " + r.bytesAfter() + " < " + r.bytesBefore());
            }
        }
    }

    static WeightSharingConfig uniform(int clusters, Granularity g) {
        WeightSharingConfig d = WeightSharingConfig.defaults();
        return new WeightSharingConfig(d.scope(), Codebook.UNIFORM, clusters, null, g, null, d.init(), false, 1, false,
                d.calibration());
    }

    @Test
    void identicalWeightsAreEncodedOnceAndTablesToo() {
        Model m = matMulAndTable();
        Map<String, Tensor> feeds = Map.of("x", Runs.feeds(m, 1, 2).get("x"),
                "ids", Tensor.ofLongs("ids", new long[] {0, 5, 99, 3, 3, 42}, 2, 3));
        WeightSharingReport r = share(m, WeightSharingConfig.kmeans(16, Granularity.PER_TENSOR));
        assertEquals(2, r.tensors().size(), "the two equal weights are one");
        SharedTensor w = r.tensors().stream().filter(t -> t.opType().equals("MatMul")).findFirst().orElseThrow();
        assertEquals(2, w.readers().size());
        Node a = m.graph().nodes().stream().filter(n -> n.isStandard("MatMul")).findFirst().orElseThrow();
        Node b = m.graph().nodes().stream().filter(n -> n.isStandard("MatMul")).skip(1).findFirst().orElseThrow();
        assertEquals(a.input(1), b.input(1), "both read one decoded weight");
        assertTrue(r.tensors().stream().anyMatch(t -> t.opType().equals("Gather")), "the table is shared too");
        assertEquals(List.of(), ModelChecker.check(m).errors());
        assertTrue(Runs.run(m, feeds).length > 0);
    }

    @Test
    void onnxRuntimeFoldsTheDecodingAtLoad() throws Exception {
        Path input = TestData.repoModel("fmnist/cnn.onnx");
        Map<String, Integer> plain = Runs.counts(ModelIO.load(optimizedByOrt(input, "plain")));
        for (WeightSharingConfig c : List.of(WeightSharingConfig.kmeans(16, Granularity.PER_CHANNEL),
                log2(Granularity.PER_BLOCK, 32), uniform(16, Granularity.PER_TENSOR))) {
            Model m = ModelIO.load(input);
            WeightSharingReport r = share(m, c);
            assertTrue(r.tensors().size() >= 3, c.codebook() + " " + c.granularity() + ": " + r.tensors().size());
            Path shared = dir.resolve("shared.onnx");
            ModelIO.save(m, shared);
            assertEquals(plain, Runs.counts(ModelIO.load(optimizedByOrt(shared, "opt"))), c.codebook() + " " + c.granularity()
                    + ": the decoding is folded away, the graph ONNX Runtime runs is the original's");
            assertTrue(Files.size(shared) <= 0.17 * Files.size(input), "4-bit indices: " + Files.size(shared));
        }
    }

    private Path optimizedByOrt(Path model, String name) throws Exception {
        Path optimized = dir.resolve(name + "-ort.onnx");
        try (OrtSession.SessionOptions o = Ort.options()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            o.setOptimizedModelFilePath(optimized.toString());
            Ort.env().createSession(model.toString(), o).close();
        }
        return optimized;
    }

    @Test
    void kMeansKeepsAtLeastWhatUniformLevelsKeepAtEqualBits() throws Exception {
        int better = 0;
        int total = 0;
        for (String name : List.of("tiny", "cnn", "mobilenet", "resnet")) {
            for (int clusters : new int[] {4, 16}) {
                Model km = ModelIO.load(TestData.repoModel("fmnist/" + name + ".onnx"));
                Model un = ModelIO.load(TestData.repoModel("fmnist/" + name + ".onnx"));
                List<SharedTensor> k = share(km, WeightSharingConfig.kmeans(clusters, Granularity.PER_TENSOR)).tensors();
                List<SharedTensor> u = share(un, uniform(clusters, Granularity.PER_TENSOR)).tensors();
                for (SharedTensor t : k) {
                    SharedTensor same = u.stream().filter(x -> x.tensor().equals(t.tensor())).findFirst().orElseThrow();
                    total++;
                    better += t.sqnrDb() >= same.sqnrDb() ? 1 : 0;
                }
            }
        }
        assertTrue(total > 40, total + " tensors");
        assertTrue(better >= 0.9 * total, "k-means at least as good on " + better + " of " + total);
    }

    static WeightSharingConfig log2(Granularity g, Integer blockSize) {
        WeightSharingConfig d = WeightSharingConfig.defaults();
        return new WeightSharingConfig(d.scope(), Codebook.LOG2, null, 4, g, blockSize, d.init(), false, 1, false,
                d.calibration());
    }

    @Test
    void perBlockScalesKeepMoreThanOneScalePerChannel() throws Exception {
        for (Supplier<Model> graph : List.<Supplier<Model>>of(WeightSharingTest::matMulAndTable,
                () -> load("fmnist/resnet.onnx"))) {
            Model channel = graph.get();
            Model block = graph.get();
            Map<String, Tensor> feeds = new java.util.HashMap<>(Runs.feeds(block, 5, 2));
            feeds.computeIfPresent("ids", (k, v) -> Tensor.ofLongs("ids", new long[] {0, 5, 99, 3, 3, 42}, 2, 3));
            float[] expected = Runs.run(block, feeds);
            List<SharedTensor> perChannel = share(channel, log2(Granularity.PER_CHANNEL, null)).tensors();
            WeightSharingReport r = share(block, log2(Granularity.PER_BLOCK, 16));
            assertEquals(List.of(), ModelChecker.check(block).errors());
            assertTrue(r.bytesAfter() < r.bytesBefore());
            int better = 0;
            int compared = 0;
            for (SharedTensor t : r.tensors()) {
                var c = perChannel.stream().filter(x -> x.tensor().equals(t.tensor())).findFirst();
                compared += c.isPresent() ? 1 : 0;
                better += c.isPresent() && t.sqnrDb() > c.get().sqnrDb() ? 1 : 0;
            }
            assertTrue(compared > 0 && better == compared, "per-block beats per-channel on " + better + " of " + compared);
            double cos = Runs.cosine(expected, Runs.run(block, feeds));
            assertTrue(cos > 0.98, "cosine per block " + cos); // it also shares tensors per channel skips as not smaller
        }
        Model resnet = load("fmnist/resnet.onnx");
        WeightSharingReport r = share(resnet, log2(Granularity.PER_BLOCK, 32));
        assertTrue(r.decisions().stream().anyMatch(d -> !d.applied() && d.reason().contains("multiple of 32")),
                "a first convolution with 9 weights per channel is skipped with a reason");
    }

    @Test
    void theReportedErrorIsTheErrorOfTheWeightsOnnxRuntimeDecodes() {
        for (WeightSharingConfig c : List.of(log2(Granularity.PER_BLOCK, 16), log2(Granularity.PER_CHANNEL, null),
                WeightSharingConfig.kmeans(16, Granularity.PER_TENSOR), uniform(16, Granularity.PER_CHANNEL))) {
            Model original = load("fmnist/resnet.onnx");
            Model m = load("fmnist/resnet.onnx");
            WeightSharingReport r = share(m, c);
            Map<String, Tensor> feeds = Runs.feeds(m, 1, 1);
            for (SharedTensor t : r.tensors()) {
                Model probe = dev.bantam.onnx.ir.serde.OnnxSerde.read(dev.bantam.onnx.ir.serde.OnnxSerde.toBytes(m));
                Graph g = probe.graph();
                Node reader = g.nodes().stream().filter(n -> n.displayName().equals(t.node())).findFirst().orElseThrow();
                Node before = original.graph().nodes().stream().filter(n -> n.displayName().equals(t.node()))
                        .findFirst().orElseThrow();
                Value decoded = reader.input(dev.bantam.onnx.ops.WeightLayouts.of(before).orElseThrow().weightInput());
                List.copyOf(g.outputs()).forEach(g::removeOutput);
                g.addOutput(decoded);
                float[] want = original.graph().initializer(t.tensor()).initializer().toFloatArray();
                double db = dev.bantam.compress.Sqnr.of(want, Runs.run(probe, feeds));
                assertEquals(t.sqnrDb(), db, 0.01, c.codebook() + " " + c.granularity() + " " + t.tensor());
            }
        }
    }

    static Model load(String name) {
        try {
            return ModelIO.load(TestData.repoModel(name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anOpset9ModelIsRaisedAndRuns() throws Exception {
        Path ocr = TestData.repoModel("ocr-cls.onnx");
        Model m = ModelIO.load(ocr);
        WeightSharingReport r = share(m, WeightSharingConfig.kmeans(16, Granularity.PER_TENSOR));
        assertTrue(r.notes().getFirst().startsWith("opset raised from 9 to 11"), r.notes().toString());
        assertTrue(r.tensors().size() > 20);
        assertEquals(List.of(), ModelChecker.check(m).errors());
        Path out = dir.resolve("ocr.onnx");
        ModelIO.save(m, out);
        Random rnd = new Random(3);
        float[] x = new float[2 * 3 * 48 * 192];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat();
        }
        Map<String, Tensor> feeds = Map.of("x", Tensor.ofFloats("x", x, 2, 3, 48, 192));
        assertEquals(Ort.run(ocr, feeds).keySet(), Ort.run(out, feeds).keySet());
    }

    @Test
    void settingsACodebookCannotHonourAreRefused() {
        WeightSharingConfig d = WeightSharingConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> new WeightSharingConfig(d.scope(), Codebook.LOG2, 16, null,
                Granularity.PER_TENSOR, null, d.init(), false, 1, false, d.calibration()));
        assertThrows(IllegalArgumentException.class, () -> new WeightSharingConfig(d.scope(), Codebook.KMEANS, null, 4,
                Granularity.PER_TENSOR, null, d.init(), false, 1, false, d.calibration()));
        assertThrows(IllegalArgumentException.class, () -> new WeightSharingConfig(d.scope(), Codebook.KMEANS, 16, null,
                Granularity.PER_TENSOR, null, d.init(), true, 1, false, d.calibration()));
        assertThrows(IllegalArgumentException.class, () -> new WeightSharingConfig(d.scope(), Codebook.KMEANS, 300, null,
                Granularity.PER_TENSOR, null, d.init(), false, 1, false, d.calibration()));
        assertThrows(IllegalArgumentException.class, () -> new WeightSharingConfig(d.scope(), Codebook.KMEANS, 16, null,
                Granularity.PER_BLOCK, null, d.init(), false, 1, false, d.calibration()));
        assertThrows(IllegalArgumentException.class, () -> new WeightSharingConfig(d.scope(), Codebook.LOG2, null, 4,
                Granularity.PER_TENSOR, null, d.init(), false, 1, true, d.calibration()));
        assertThrows(IllegalArgumentException.class, () -> log2(Granularity.PER_CHANNEL, 32));
        assertThrows(IllegalArgumentException.class, () -> log2(Granularity.PER_BLOCK, 1));
        var none = assertThrows(IllegalArgumentException.class, () -> share(Graphs.gemm(),
                d.withScope(d.scope().withOpTypes(List.of("Conv")))));
        assertTrue(none.getMessage().startsWith("nothing to share"), none.getMessage());
    }
}
