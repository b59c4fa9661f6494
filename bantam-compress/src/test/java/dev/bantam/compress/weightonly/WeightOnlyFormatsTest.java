package dev.bantam.compress.weightonly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.bantam.compress.CompressionContext;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import dev.bantam.onnx.testing.Ort;
import dev.bantam.onnx.check.ModelChecker;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Each output format, on graphs built in code, run in ONNX Runtime: the layer's output equals x times the weights
 * as stored (computed here from the same block codes), for every bit width, symmetric and asymmetric, with a
 * reduction length that is not a multiple of the block size.
 */
class WeightOnlyFormatsTest {

    @org.junit.jupiter.api.io.TempDir
    Path dir;

    static final int K = 80;
    static final int N = 24;

    static float[] gaussian(int count, long seed, double scale) {
        Random r = new Random(seed);
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    /** x [3, K] -> MatMul(W [K, N]) (or Gemm with transB and a bias), one output. */
    static Model layer(boolean gemm) {
        Graph g = new Graph("g");
        Value x = new Value("x", ValueType.tensor(DataType.FLOAT, Shape.of(3, K)));
        g.addInput(x);
        float[] w = gaussian(K * N, 5, 0.2);
        Node n;
        if (gemm) {
            Value wt = g.addInitializer(Tensor.ofFloats("w", BlockLayer.transpose(w, K, N), N, K));
            Value b = g.addInitializer(Tensor.ofFloats("b", gaussian(N, 6, 1), N));
            n = g.append(Node.of("Gemm", List.of(x, wt, b), List.of("y"), Attribute.ofInt("transB", 1)));
        } else {
            Value wv = g.addInitializer(Tensor.ofFloats("w", w, K, N));
            n = g.append(Node.of("MatMul", List.of(x, wv), List.of("y")));
        }
        g.addOutput(n.output(0));
        n.output(0).setType(ValueType.tensor(DataType.FLOAT, Shape.of(3, N)));
        Model m = new Model(g);
        m.setIrVersion(10L);
        m.opsetImports().add(new OpsetId("", 17));
        return m;
    }

    static WeightOnlyConfig config(int bits, boolean symmetric, WeightOnlyFormat f, int accuracyLevel) {
        WeightOnlyConfig d = WeightOnlyConfig.defaults();
        return new WeightOnlyConfig(d.scope().withMinWeightSize(16), bits, 32, symmetric, WeightOnlyAlgorithm.RTN, f,
                accuracyLevel, true, 0.01, d.calibration(), null, null, 64);
    }

    static float[] run(Model m, Map<String, Tensor> feeds, boolean optimized) throws Exception {
        try (OrtSession.SessionOptions o = Ort.options()) {
            o.setOptimizationLevel(optimized ? OrtSession.SessionOptions.OptLevel.ALL_OPT
                    : OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession s = Ort.env().createSession(OnnxSerde.toBytes(m), o)) {
                Ort.Output out = Ort.run(s, feeds).values().iterator().next();
                float[] v = new float[out.bytes().length / 4];
                MemorySegment.copy(MemorySegment.ofArray(out.bytes()), Tensor.FLOAT_LE, 0, v, 0, v.length);
                return v;
            }
        }
    }

    /** x · W for W given in column form [N][K], plus an optional bias. */
    static float[] product(float[] x, float[] columns, float[] bias) {
        float[] y = new float[3 * N];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < N; c++) {
                double s = bias == null ? 0 : bias[c];
                for (int i = 0; i < K; i++) {
                    s += x[r * K + i] * columns[c * K + i];
                }
                y[r * N + c] = (float) s;
            }
        }
        return y;
    }

    static double maxRelative(float[] a, float[] ref) {
        double max = 0;
        double scale = 0;
        for (float v : ref) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - ref[i]) / scale);
        }
        return max;
    }

    @ParameterizedTest
    @CsvSource({"2, false, false", "4, false, false", "4, true, false", "8, false, false", "8, true, false",
        "4, false, true", "4, true, true"})
    void matMulNBitsComputesWithTheStoredWeights(int bits, boolean symmetric, boolean gemm) throws Exception {
        Model m = layer(gemm);
        float[] columns = BlockLayer.of(m.graph().nodes().getFirst(), new StringBuilder()).orElseThrow().columns();
        float[] bias = gemm ? m.graph().initializer("b").initializer().toFloatArray() : null;
        WeightOnlyConfig c = config(bits, symmetric, WeightOnlyFormat.MATMUL_NBITS, 0);
        float[] stored = DataFree.quantize(columns, K, N, c.blockFormat(), false).columns();
        WeightOnlyReport r = new WeightOnlyQuantization().apply(m, c, CompressionContext.withoutData());
        assertEquals(1, r.tensors().size());
        assertEquals("MatMulNBits", m.graph().nodes().getFirst().opType());
        assertEquals(List.of(), ModelChecker.check(m).errors());
        float[] x = gaussian(3 * K, 7, 1);
        Map<String, Tensor> feeds = Map.of("x", Tensor.ofFloats("x", x, 3, K));
        float[] y = run(m, feeds, true);
        assertTrue(maxRelative(y, product(x, stored, bias)) < 1e-4, "MatMulNBits differs from x times the stored weights");
        double expected = bits == 2 ? 5 : bits == 4 ? 15 : 35;
        assertTrue(r.tensors().getFirst().sqnrDb() > expected, "SQNR " + r.tensors().getFirst().sqnrDb());
        int blocks = 3;
        long expectedBytes = (long) N * blocks * 32 * bits / 8 + N * blocks * 4L + (symmetric ? 0 : N * ((blocks * bits + 7) / 8));
        assertEquals(expectedBytes, r.bytesAfter(), "codes, scales and zero points");
        assertEquals(K * N * 4L, r.bytesBefore());
    }

    @Test
    void accuracyLevelFourStaysWithinInt8Rounding() throws Exception {
        Model m = layer(false);
        float[] columns = BlockLayer.of(m.graph().nodes().getFirst(), new StringBuilder()).orElseThrow().columns();
        WeightOnlyConfig c = config(4, false, WeightOnlyFormat.MATMUL_NBITS, 4);
        float[] stored = DataFree.quantize(columns, K, N, c.blockFormat(), false).columns();
        new WeightOnlyQuantization().apply(m, c, CompressionContext.withoutData());
        float[] x = gaussian(3 * K, 7, 1);
        float[] y = run(m, Map.of("x", Tensor.ofFloats("x", x, 3, K)), true);
        assertTrue(maxRelative(y, product(x, stored, null)) < 0.02);
    }

    @ParameterizedTest
    @CsvSource({"3, false", "4, false", "4, true", "8, false", "8, true", "2, true"})
    void blockedDequantizeLinearComputesWithTheStoredWeightsFusedOrNot(int bits, boolean symmetric) throws Exception {
        for (boolean gemm : new boolean[] {false, true}) {
            Model m = layer(gemm);
            float[] columns = BlockLayer.of(m.graph().nodes().getFirst(), new StringBuilder()).orElseThrow().columns();
            float[] bias = gemm ? m.graph().initializer("b").initializer().toFloatArray() : null;
            WeightOnlyConfig c = config(bits, symmetric, WeightOnlyFormat.DEQUANTIZE_LINEAR, 4);
            float[] stored = DataFree.quantize(columns, K, N, c.blockFormat(), false).columns();
            new WeightOnlyQuantization().apply(m, c, CompressionContext.withoutData());
            assertEquals(21, m.opsetVersion("").orElseThrow());
            assertEquals(List.of(), ModelChecker.check(m).errors());
            float[] x = gaussian(3 * K, 7, 1);
            Map<String, Tensor> feeds = Map.of("x", Tensor.ofFloats("x", x, 3, K));
            float[] ref = product(x, stored, bias);
            float[] plain = run(m, feeds, false);
            float[] fused = run(m, feeds, true);
            assertTrue(maxRelative(plain, ref) < 1e-4, "unoptimized DequantizeLinear differs");
            // ONNX Runtime may fuse 4-bit DequantizeLinear + MatMul into MatMulNBits at accuracy level 4 (int8 inputs)
            assertTrue(maxRelative(fused, plain) < 0.02, "optimized and unoptimized sessions differ by "
                    + maxRelative(fused, plain));
        }
    }

    @ParameterizedTest
    @CsvSource({"4, false, 64", "4, true, 64", "8, false, 64", "8, true, 64", "4, false, 96", "4, true, 96",
        "8, false, 96"})
    void gatherBlockQuantizedReadsTheStoredRows(int bits, boolean symmetric, int width) throws Exception {
        Graph g = new Graph("g");
        Value ids = new Value("ids", ValueType.tensor(DataType.INT64, Shape.of(2, 3)));
        g.addInput(ids);
        int rows = 50;
        float[] table = gaussian(rows * width, 9, 1);
        Value t = g.addInitializer(Tensor.ofFloats("table", table, rows, width));
        Node n = g.append(Node.of("Gather", List.of(t, ids), List.of("e")));
        n.output(0).setType(ValueType.tensor(DataType.FLOAT, Shape.of(2, 3, width)));
        g.addOutput(n.output(0));
        Model m = new Model(g);
        m.setIrVersion(10L);
        m.opsetImports().add(new OpsetId("", 17));
        WeightOnlyConfig c = config(bits, symmetric, WeightOnlyFormat.MATMUL_NBITS, 4);
        BlockQuantized q = DataFree.quantize(table, width, rows, c.blockFormat(), false);
        new WeightOnlyQuantization().apply(m, c, CompressionContext.withoutData());
        assertEquals("GatherBlockQuantized", m.graph().nodes().getFirst().opType());
        long[] idx = {0, 7, 49, 3, 3, 12};
        float[] e = run(m, Map.of("ids", Tensor.ofLongs("ids", idx, 2, 3)), true);
        for (int p = 0; p < idx.length; p++) {
            for (int j = 0; j < width; j++) {
                assertEquals(q.value((int) idx[p], j), e[p * width + j], 1e-6, "row " + idx[p] + " element " + j);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"2, false", "3, true", "4, false", "4, true", "8, false"})
    void decodeAtLoadFoldsToTheStoredWeights(int bits, boolean symmetric) throws Exception {
        for (boolean gemm : new boolean[] {false, true}) {
            Model m = layer(gemm);
            float[] columns = BlockLayer.of(m.graph().nodes().getFirst(), new StringBuilder()).orElseThrow().columns();
            float[] bias = gemm ? m.graph().initializer("b").initializer().toFloatArray() : null;
            WeightOnlyConfig c = config(bits, symmetric, WeightOnlyFormat.DECODE_AT_LOAD, 4);
            float[] stored = DataFree.quantize(columns, K, N, c.blockFormat(), false).columns();
            new WeightOnlyQuantization().apply(m, c, CompressionContext.withoutData());
            assertEquals(List.of(), ModelChecker.check(m).errors());
            float[] x = gaussian(3 * K, 7, 1);
            float[] y = run(m, Map.of("x", Tensor.ofFloats("x", x, 3, K)), true);
            assertTrue(maxRelative(y, product(x, stored, bias)) < 1e-5, "decoded weights differ from the stored ones");
            Path file = dir.resolve("d.onnx");
            Path optimized = dir.resolve("d-ort.onnx");
            java.nio.file.Files.write(file, OnnxSerde.toBytes(m));
            try (OrtSession.SessionOptions o = Ort.options()) {
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
                o.setOptimizedModelFilePath(optimized.toString());
                Ort.env().createSession(file.toString(), o).close();
            }
            Model ort = OnnxSerde.read(java.nio.file.Files.readAllBytes(optimized));
            assertEquals(List.of(gemm ? "Gemm" : "MatMul"), ort.graph().nodes().stream().map(Node::opType).toList(),
                    "ONNX Runtime folds the decoding at load");
        }
    }

    /** x [2, 20, 7, 7] -> Conv(W [12, 20, 3, 3], bias, pads 1): each output channel reduces 180 weights. */
    static Model conv(float[] weights) {
        Graph g = new Graph("g");
        Value x = new Value("x", ValueType.tensor(DataType.FLOAT, Shape.of(2, 20, 7, 7)));
        g.addInput(x);
        Value w = g.addInitializer(Tensor.ofFloats("w", weights, 12, 20, 3, 3));
        Value b = g.addInitializer(Tensor.ofFloats("b", gaussian(12, 6, 1), 12));
        Node n = g.append(Node.of("Conv", List.of(x, w, b), List.of("y"), Attribute.ofInts("pads", 1, 1, 1, 1)));
        n.output(0).setType(ValueType.tensor(DataType.FLOAT, Shape.of(2, 12, 7, 7)));
        g.addOutput(n.output(0));
        Model m = new Model(g);
        m.setIrVersion(10L);
        m.opsetImports().add(new OpsetId("", 17));
        return m;
    }

    @ParameterizedTest
    @CsvSource({"4, false, dequantize-linear", "4, true, dequantize-linear", "8, false, dequantize-linear",
        "3, true, dequantize-linear", "4, false, decode-at-load", "2, true, decode-at-load"})
    void convWeightsInBlocksComputeWithTheStoredWeightsFusedOrNot(int bits, boolean symmetric, String format)
            throws Exception {
        float[] w = gaussian(12 * 180, 5, 0.2);
        Model m = conv(w);
        WeightOnlyFormat f = format.equals("decode-at-load") ? WeightOnlyFormat.DECODE_AT_LOAD
                : WeightOnlyFormat.DEQUANTIZE_LINEAR;
        WeightOnlyConfig c = config(bits, symmetric, f, 4);
        float[] stored = DataFree.quantize(w, 180, 12, c.blockFormat(), false).columns();
        WeightOnlyReport r = new WeightOnlyQuantization().apply(m, c, CompressionContext.withoutData());
        assertEquals(1, r.tensors().size(), r.decisions().toString());
        assertEquals(List.of(), ModelChecker.check(m).errors());
        Map<String, Tensor> feeds = Map.of("x", Tensor.ofFloats("x", gaussian(2 * 20 * 49, 7, 1), 2, 20, 7, 7));
        float[] ref = run(conv(stored), feeds, false);
        float[] plain = run(m, feeds, false);
        assertTrue(maxRelative(plain, ref) < 1e-5, "the Conv does not compute with the stored weights");
        assertTrue(maxRelative(run(m, feeds, true), plain) < 1e-5, "optimized and unoptimized sessions differ");
        int stores = f == WeightOnlyFormat.DEQUANTIZE_LINEAR && bits == 3 ? 4 : bits; // 3-bit codes in 4-bit elements
        assertTrue(r.bytesAfter() < r.bytesBefore() * (stores + 2) / 32, r.bytesAfter() + " bytes");
    }

    @Test
    void convWeightsAreLeftWithAReasonAsMatMulNBits() {
        Model m = conv(gaussian(12 * 180, 5, 0.2));
        WeightOnlyConfig c = config(4, false, WeightOnlyFormat.MATMUL_NBITS, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WeightOnlyQuantization().apply(m, c, CompressionContext.withoutData()));
        assertTrue(e.getMessage().contains("needs format dequantize-linear or decode-at-load"), e.getMessage());
    }

    @Test
    void refusesAModelThatIsAlreadyQuantized() {
        Model m = layer(false);
        WeightOnlyConfig c = config(4, false, WeightOnlyFormat.MATMUL_NBITS, 4);
        new WeightOnlyQuantization().apply(m, c, CompressionContext.withoutData());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WeightOnlyQuantization().apply(m, c, CompressionContext.withoutData()));
        assertTrue(e.getMessage().contains("already quantized (it has MatMulNBits)"), e.getMessage());
    }

    @Test
    void refusesWhatTheFormatsCannotStore() {
        WeightOnlyConfig d = WeightOnlyConfig.defaults();
        IllegalArgumentException three = assertThrows(IllegalArgumentException.class, () -> d.with(3, 32, WeightOnlyAlgorithm.RTN));
        assertTrue(three.getMessage().contains("dequantize-linear"), three.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> d.with(4, 512, WeightOnlyAlgorithm.RTN));
        assertTrue(big.getMessage().contains("zeros at 512"), big.getMessage());
        IllegalArgumentException hqq = assertThrows(IllegalArgumentException.class,
                () -> d.withSymmetric(true).with(4, 32, WeightOnlyAlgorithm.HQQ));
        assertTrue(hqq.getMessage().contains("asymmetric"), hqq.getMessage());
    }
}
