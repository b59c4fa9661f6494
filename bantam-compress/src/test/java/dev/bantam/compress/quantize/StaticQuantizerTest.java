package dev.bantam.compress.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.compress.quantize.calibrate.ActivationStats;
import dev.bantam.compress.quantize.calibrate.CalibrationMethod;
import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import dev.bantam.runtime.InferenceSession;
import dev.bantam.runtime.RuntimeOptions;
import dev.bantam.runtime.calibrate.ActivationCollector;
import dev.bantam.runtime.data.ArraySource;
import dev.bantam.onnx.ProgressListener;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Static INT8 on small graphs, one per quantized operator kind: the expected operators in both formats,
 * and outputs close to float in ONNX Runtime.
 */
class StaticQuantizerTest {

    /** Name, graph, expected QDQ-format counts, expected QOperator-format counts. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("conv-relu-maxpool", (Supplier<Model>) StaticGraphs::convReluPool,
                        Map.of("QuantizeLinear", 4, "DequantizeLinear", 8, "Relu", 0, "Conv", 2),
                        Map.of("QLinearConv", 2, "MaxPool", 1, "QuantizeLinear", 1, "DequantizeLinear", 1)),
                Arguments.of("gemm", (Supplier<Model>) StaticGraphs::gemm,
                        Map.of("QuantizeLinear", 2, "DequantizeLinear", 6, "Relu", 0, "Gemm", 2),
                        Map.of("QGemm", 2, "QuantizeLinear", 1, "DequantizeLinear", 0)),
                Arguments.of("matmul-float-output", (Supplier<Model>) StaticGraphs::matMul,
                        Map.of("QuantizeLinear", 1, "DequantizeLinear", 2, "MatMul", 1, "Add", 1),
                        Map.of("MatMulIntegerToFloat", 1, "QuantizeLinear", 1)),
                Arguments.of("residual-add", (Supplier<Model>) StaticGraphs::residualAdd,
                        Map.of("QuantizeLinear", 5, "Add", 1, "Relu", 0, "Conv", 3),
                        Map.of("QLinearConv", 3, "QLinearAdd", 1, "DequantizeLinear", 1)),
                Arguments.of("global-average-pool", (Supplier<Model>) StaticGraphs::poolHead,
                        Map.of("QuantizeLinear", 4, "GlobalAveragePool", 1, "Gemm", 1),
                        Map.of("QLinearConv", 1, "QLinearGlobalAveragePool", 1, "QGemm", 1, "Flatten", 1)),
                Arguments.of("concat", (Supplier<Model>) StaticGraphs::concat,
                        Map.of("QuantizeLinear", 5, "Concat", 1, "Conv", 3),
                        Map.of("QLinearConv", 3, "QLinearConcat", 1)),
                Arguments.of("conv-transpose", (Supplier<Model>) StaticGraphs::convTranspose,
                        Map.of("QuantizeLinear", 3, "ConvTranspose", 1, "Relu", 0, "Conv", 1),
                        Map.of("QLinearConv", 1, "ConvTranspose", 1)),
                Arguments.of("constant-weights-relu6", (Supplier<Model>) StaticGraphs::constantWeightsAndClip,
                        Map.of("QuantizeLinear", 3, "Clip", 0, "Constant", 0, "Conv", 2),
                        Map.of("QLinearConv", 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void quantizesToExpectedOperatorsAndStaysClose(String name, Supplier<Model> graph, Map<String, Integer> qdq,
                                                   Map<String, Integer> qop) {
        for (QuantizeConfig.Format format : QuantizeConfig.Format.values()) {
            Model m = graph.get();
            Map<String, Tensor> feeds = feeds(m, 99, 2);
            Tensor expected = run(m, feeds);
            QuantizeConfig config = QuantizeConfig.staticDefaults().withFormat(format);
            QuantizeReport report = quantize(m, config);
            assertEquals(java.util.List.of(), ModelChecker.check(m).errors(), name);
            Map<String, Integer> counts = counts(m);
            Map<String, Integer> want = format == QuantizeConfig.Format.QDQ ? qdq : qop;
            want.forEach((op, n) -> assertEquals(n, counts.getOrDefault(op, 0), name + " " + format + ": " + op + " in " + counts));
            assertTrue(report.layers().stream().anyMatch(l -> l.kind().equals("activation")), name);
            Tensor actual = run(m, feeds);
            double cos = cosine(expected.toFloatArray(), actual.toFloatArray());
            assertTrue(cos > 0.999, name + " " + format + ": cosine to float " + cos);
        }
    }

    @Test
    void theTwoFormatsComputeTheSameValues() {
        Model qdq = StaticGraphs.residualAdd();
        Model qop = StaticGraphs.residualAdd();
        Map<String, Tensor> feeds = feeds(qdq, 5, 2);
        quantize(qdq, QuantizeConfig.staticDefaults());
        quantize(qop, QuantizeConfig.staticDefaults().withFormat(QuantizeConfig.Format.QOPERATOR));
        float[] a = run(qdq, feeds).toFloatArray();
        float[] b = run(qop, feeds).toFloatArray();
        double maxDiff = 0;
        for (int i = 0; i < a.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
        }
        double scale = Arrays.stream(box(a)).mapToDouble(Math::abs).max().orElse(1);
        assertTrue(maxDiff <= 0.02 * scale, "QDQ and QOperator differ by " + maxDiff + " (output scale " + scale + ")");
    }

    @Test
    void everyCalibrationMethodGivesAWorkingModel() {
        for (CalibrationMethod method : CalibrationMethod.values()) {
            Model m = StaticGraphs.poolHead();
            Map<String, Tensor> feeds = feeds(m, 3, 2);
            Tensor expected = run(m, feeds);
            quantize(m, QuantizeConfig.staticDefaults().withCalibration(method, 99.9));
            double cos = cosine(expected.toFloatArray(), run(m, feeds).toFloatArray());
            assertTrue(cos > 0.985, method + ": cosine " + cos);
        }
    }

    @Test
    void optionsChangeTheQuantizedTypes() {
        Model m = StaticGraphs.convReluPool();
        quantize(m, QuantizeConfig.staticDefaults().withActivations(QuantType.UINT8, false)
                .withWeights(false, true, QuantType.INT8));
        for (Node n : m.graph()) {
            if (n.isStandard("QuantizeLinear")) {
                assertEquals(DataType.UINT8, n.input(2).constantValue().orElseThrow().dataType());
            }
            if (n.isStandard("DequantizeLinear") && n.input(0).constantValue().isPresent()
                    && n.input(0).constantValue().get().dataType() == DataType.INT8) {
                Tensor s = n.input(1).constantValue().orElseThrow();
                assertEquals(0, s.rank(), "per-tensor weights have one scale");
                byte[] q = new byte[(int) n.input(0).constantValue().get().elementCount()];
                java.lang.foreign.MemorySegment.copy(n.input(0).constantValue().get().bytes(),
                        java.lang.foreign.ValueLayout.JAVA_BYTE, 0, q, 0, q.length);
                for (byte v : q) {
                    assertTrue(v >= -63 && v <= 63, "reduced range keeps weights in 7 bits: " + v);
                }
            }
        }
    }

    @Test
    void excludedNodesAndKeepFirstLastStayFloat() {
        Model m = StaticGraphs.residualAdd();
        QuantizeReport r = quantize(m, QuantizeConfig.staticDefaults().withOps(QuantizeConfig.STATIC_OPS,
                java.util.List.of(), java.util.Set.of(), true));
        assertEquals(2, r.leftInFloat().stream().filter(x -> x.contains("first or last")).count(), r.leftInFloat().toString());
        Model e = StaticGraphs.poolHead();
        QuantizeReport r2 = quantize(e, QuantizeConfig.staticDefaults().withOps(QuantizeConfig.STATIC_OPS,
                java.util.List.of(java.util.regex.Pattern.compile("^Gemm")), java.util.Set.of(), false));
        assertEquals(1, counts(e).getOrDefault("Gemm", 0));
        assertTrue(r2.layers().stream().noneMatch(l -> l.opType().equals("Gemm")), r2.layers().toString());
        Model o = StaticGraphs.gemm();
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> StaticQuantizer.prepare(o,
                QuantizeConfig.staticDefaults().withOps(QuantizeConfig.STATIC_OPS, java.util.List.of(), java.util.Set.of("Gemm"), false)));
        assertTrue(none.getMessage().startsWith("nothing to quantize"), none.getMessage());
    }

    @Test
    void alreadyQuantizedModelIsRefused() {
        Model m = StaticGraphs.gemm();
        quantize(m, QuantizeConfig.staticDefaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StaticQuantizer.prepare(m, QuantizeConfig.staticDefaults()));
        assertTrue(e.getMessage().startsWith("the model is already quantized"), e.getMessage());
    }

    @Test
    void sameInputAndOptionsGiveIdenticalBytes() {
        Model a = StaticGraphs.concat();
        Model b = StaticGraphs.concat();
        quantize(a, QuantizeConfig.staticDefaults());
        quantize(b, QuantizeConfig.staticDefaults());
        assertTrue(Arrays.equals(OnnxSerde.toBytes(a), OnnxSerde.toBytes(b)));
    }

    static QuantizeReport quantize(Model m, QuantizeConfig config) {
        StaticQuantizer.Prepared p = StaticQuantizer.prepare(m, config);
        ActivationStats stats = p.newStats();
        Map<String, Tensor> calibration = feeds(p.model(), 1, 64);
        ActivationCollector.collect(p.model(), stats.names(), s -> new ArraySource(calibration, "random"), 0, 16,
                stats::observe, ProgressListener.NONE);
        return p.apply(stats);
    }

    /** Random inputs in [-1, 1] for every graph input, {@code n} items. */
    static Map<String, Tensor> feeds(Model m, long seed, int n) {
        Random r = new Random(seed);
        Map<String, Tensor> f = new LinkedHashMap<>();
        for (Value in : m.graph().inputs()) {
            long[] dims = ((ValueType.TensorType) in.type()).shape().dims().stream()
                    .mapToLong(d -> d instanceof dev.bantam.onnx.ir.Dim.Fixed x ? x.value() : n).toArray();
            dims[0] = n;
            int count = (int) Arrays.stream(dims).reduce(1, (x, y) -> x * y);
            float[] v = new float[count];
            for (int i = 0; i < count; i++) {
                v[i] = r.nextFloat() * 2 - 1;
            }
            f.put(in.name(), Tensor.ofFloats(in.name(), v, dims));
        }
        return f;
    }

    static Tensor run(Model m, Map<String, Tensor> feeds) {
        try (InferenceSession s = InferenceSession.open(OnnxSerde.toBytes(m), RuntimeOptions.threads(1))) {
            return s.run(feeds).values().iterator().next();
        }
    }

    static Map<String, Integer> counts(Model m) {
        Map<String, Integer> c = new TreeMap<>();
        m.graph().forEach(n -> c.merge(n.opType(), 1, Integer::sum));
        return c;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return dot / Math.sqrt(aa * bb);
    }

    private static Float[] box(float[] a) {
        Float[] b = new Float[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }
}
