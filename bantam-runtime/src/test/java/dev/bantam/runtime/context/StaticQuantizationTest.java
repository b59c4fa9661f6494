package dev.bantam.runtime.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.compress.Granularity;
import dev.bantam.compress.WeightNumerics;
import dev.bantam.compress.quantize.ActivationNumerics;
import dev.bantam.compress.quantize.Calibration;
import dev.bantam.compress.quantize.QuantizeReport;
import dev.bantam.compress.quantize.StaticQuantizeConfig;
import dev.bantam.compress.quantize.TensorKind;
import dev.bantam.compress.quantize.calibrate.CalibrationMethod;
import dev.bantam.compress.testing.Graphs;
import dev.bantam.compress.testing.Runs;
import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Static INT8 on small graphs, one per quantized operator kind: the expected operators in both formats,
 * and outputs close to float in ONNX Runtime.
 */
class StaticQuantizationTest {

    /** The defaults without the guards: these graphs test the rewrite, and int8 does not pay on graphs this small. */
    static StaticQuantizeConfig plain() {
        return StaticQuantizeConfig.defaults().withGuard(dev.bantam.compress.AccuracyGuard.off())
                .withSpeed(dev.bantam.compress.SpeedGuard.defaults().withEnabled(false));
    }

    /** Name, graph, expected QDQ-format counts, expected QOperator-format counts. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("conv-relu-maxpool", (Supplier<Model>) Graphs::convReluPool,
                        Map.of("QuantizeLinear", 4, "DequantizeLinear", 8, "Relu", 0, "Conv", 2),
                        Map.of("QLinearConv", 2, "MaxPool", 1, "QuantizeLinear", 1, "DequantizeLinear", 1)),
                Arguments.of("gemm", (Supplier<Model>) Graphs::gemm,
                        Map.of("QuantizeLinear", 2, "DequantizeLinear", 6, "Relu", 0, "Gemm", 2),
                        Map.of("QGemm", 2, "QuantizeLinear", 1, "DequantizeLinear", 0)),
                Arguments.of("matmul-float-output", (Supplier<Model>) Graphs::matMul,
                        Map.of("QuantizeLinear", 1, "DequantizeLinear", 2, "MatMul", 1, "Add", 1),
                        Map.of("MatMulIntegerToFloat", 1, "QuantizeLinear", 1)),
                Arguments.of("residual-add", (Supplier<Model>) Graphs::residualAdd,
                        Map.of("QuantizeLinear", 5, "Add", 1, "Relu", 0, "Conv", 3),
                        Map.of("QLinearConv", 3, "QLinearAdd", 1, "DequantizeLinear", 1)),
                Arguments.of("global-average-pool", (Supplier<Model>) Graphs::poolHead,
                        Map.of("QuantizeLinear", 4, "GlobalAveragePool", 1, "Gemm", 1),
                        Map.of("QLinearConv", 1, "QLinearGlobalAveragePool", 1, "QGemm", 1, "Flatten", 1)),
                Arguments.of("concat", (Supplier<Model>) Graphs::concat,
                        Map.of("QuantizeLinear", 5, "Concat", 1, "Conv", 3),
                        Map.of("QLinearConv", 3, "QLinearConcat", 1)),
                Arguments.of("conv-transpose", (Supplier<Model>) Graphs::convTranspose,
                        Map.of("QuantizeLinear", 3, "ConvTranspose", 1, "Relu", 0, "Conv", 1),
                        Map.of("QLinearConv", 1, "ConvTranspose", 1)),
                Arguments.of("constant-weights-relu6", (Supplier<Model>) Graphs::constantWeightsAndClip,
                        Map.of("QuantizeLinear", 3, "Clip", 0, "Constant", 0, "Conv", 2),
                        Map.of("QLinearConv", 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void quantizesToExpectedOperatorsAndStaysClose(String name, Supplier<Model> graph, Map<String, Integer> qdq,
                                                   Map<String, Integer> qop) {
        for (StaticQuantizeConfig.Format format : StaticQuantizeConfig.Format.values()) {
            Model m = graph.get();
            Map<String, Tensor> feeds = Runs.feeds(m, 99, 2);
            float[] expected = Runs.run(m, feeds);
            StaticQuantizeConfig config = plain().withFormat(format);
            QuantizeReport report = quantize(m, config);
            assertEquals(List.of(), ModelChecker.check(m).errors(), name);
            Map<String, Integer> counts = Runs.counts(m);
            Map<String, Integer> want = format == StaticQuantizeConfig.Format.QDQ ? qdq : qop;
            want.forEach((op, n) -> assertEquals(n, counts.getOrDefault(op, 0), name + " " + format + ": " + op + " in " + counts));
            assertTrue(report.count(TensorKind.ACTIVATION) > 0, name);
            double cos = Runs.cosine(expected, Runs.run(m, feeds));
            assertTrue(cos > 0.999, name + " " + format + ": cosine to float " + cos);
        }
    }

    /**
     * Issue 11: static INT8 inside If and Loop bodies. Calibration reaches values in the branch the data runs and in
     * the loop body (body outputs, a Loop-carried input, weights held by the branch or captured from the main
     * graph); those convolutions become QDQ where they are, the branch no item runs stays float with the reason,
     * and in both formats the model passes the checker and stays close to float in ONNX Runtime.
     */
    @Test
    void convolutionsInsideIfAndLoopBodiesAreQuantized() {
        for (StaticQuantizeConfig.Format format : StaticQuantizeConfig.Format.values()) {
            Model m = Graphs.controlFlow();
            Map<String, Tensor> feeds = Runs.feeds(m, 11, 2);
            float[] expected = Runs.run(m, feeds);
            QuantizeReport report = quantize(m, plain().withFormat(format));
            assertEquals(List.of(), ModelChecker.check(m).errors(), format.toString());
            Node iff = m.graph().nodes().stream().filter(n -> n.isStandard("If")).findFirst().orElseThrow();
            Node loop = m.graph().nodes().stream().filter(n -> n.isStandard("Loop")).findFirst().orElseThrow();
            java.util.function.Function<dev.bantam.onnx.ir.Graph, Long> quantized = g -> g.nodes().stream()
                    .filter(n -> n.isStandard("QuantizeLinear") || n.opType().startsWith("QLinear")).count();
            assertTrue(quantized.apply(iff.subgraphs().get(0)) >= 2, format + ": then branch " + iff.subgraphs().get(0).nodes());
            assertEquals(0, quantized.apply(iff.subgraphs().get(1)), format + ": else branch");
            assertTrue(quantized.apply(loop.subgraphs().getFirst()) >= 1, format + ": loop body");
            assertTrue(loop.subgraphs().getFirst().nodes().stream().noneMatch(n -> n.isStandard("Constant")
                    && n.output(0).name().equals("loop_w")), format + ": the body's float Constant weight is gone");
            assertTrue(report.decisions().stream().anyMatch(d -> !d.applied() && d.node().contains("else_out")
                    && d.reason().startsWith("inside a body the calibration data never ran")), report.decisions().toString());
            assertEquals(5, report.decisions().stream().filter(d -> d.applied()).count(), report.decisions().toString());
            double cos = Runs.cosine(expected, Runs.run(m, feeds));
            assertTrue(cos > 0.999, format + ": cosine to float " + cos);
        }
    }

    @Test
    void theTwoFormatsComputeTheSameValues() {
        Model qdq = Graphs.residualAdd();
        Model qop = Graphs.residualAdd();
        Map<String, Tensor> feeds = Runs.feeds(qdq, 5, 2);
        quantize(qdq, plain());
        quantize(qop, plain().withFormat(StaticQuantizeConfig.Format.QOPERATOR));
        float[] a = Runs.run(qdq, feeds);
        float[] b = Runs.run(qop, feeds);
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
            Model m = Graphs.poolHead();
            Map<String, Tensor> feeds = Runs.feeds(m, 3, 2);
            float[] expected = Runs.run(m, feeds);
            quantize(m, plain().withCalibration(Calibration.defaults().withMethod(method,
                    method == CalibrationMethod.PERCENTILE ? 99.9 : null)));
            double cos = Runs.cosine(expected, Runs.run(m, feeds));
            assertTrue(cos > 0.985, method + ": cosine " + cos);
        }
    }

    @Test
    void optionsChangeTheQuantizedTypes() {
        Model m = Graphs.convReluPool();
        quantize(m, plain().withActivations(new ActivationNumerics(false, false))
                .withWeights(new WeightNumerics(7, true, true, Granularity.PER_TENSOR, 0)));
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
        Model m = Graphs.residualAdd();
        StaticQuantizeConfig d = plain();
        QuantizeReport r = quantize(m, d.withScope(d.scope().withKeepFirstLast(true)));
        assertEquals(2, r.decisions().stream().filter(x -> x.reason().contains("first or last")).count(), r.decisions().toString());
        Model e = Graphs.poolHead();
        QuantizeReport r2 = quantize(e, d.withScope(d.scope().withExclusions(List.of(), List.of("^Gemm"))));
        assertEquals(1, Runs.counts(e).getOrDefault("Gemm", 0));
        assertTrue(r2.tensors().stream().noneMatch(l -> l.opType().equals("Gemm")), r2.tensors().toString());
        Model o = Graphs.gemm();
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> quantize(o,
                d.withScope(d.scope().withExclusions(List.of("Gemm"), List.of()))));
        assertTrue(none.getMessage().startsWith("nothing to quantize"), none.getMessage());
    }

    @Test
    void alreadyQuantizedModelIsRefused() {
        Model m = Graphs.gemm();
        quantize(m, plain());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> quantize(m, plain()));
        assertTrue(e.getMessage().startsWith("the model is already quantized"), e.getMessage());
    }

    @Test
    void sameInputAndOptionsGiveIdenticalBytes() {
        Model a = Graphs.concat();
        Model b = Graphs.concat();
        quantize(a, plain());
        quantize(b, plain());
        assertTrue(Arrays.equals(OnnxSerde.toBytes(a), OnnxSerde.toBytes(b)));
    }

    /**
     * Issue 11: a model whose opset cannot be raised to 13 is quantized at its own opset, per tensor, and says so.
     */
    @Test
    void aModelThatCannotBeRaisedIsQuantizedAtItsOwnOpsetPerTensor() {
        Model m = Graphs.opset10Upscale();
        Map<String, Tensor> feeds = Runs.feeds(m, 4, 2);
        float[] expected = Runs.run(m, feeds);
        QuantizeReport report = quantize(m, plain());
        assertEquals(10, m.opsetVersion("").orElseThrow());
        assertTrue(report.notes().stream().anyMatch(n -> n.startsWith("opset stays 10, so weights are quantized per "
                + "tensor (per-channel needs opset 13): cannot raise the opset from 10 to 13: ") && n.contains("(Resize)")),
                report.notes().toString());
        assertEquals(List.of(), ModelChecker.check(m).errors());
        assertEquals(2, Runs.counts(m).get("Conv"));
        for (Node n : m.graph()) {
            if (n.isStandard("DequantizeLinear")) {
                assertTrue(n.attribute("axis").isEmpty(), "no axis before opset 13");
                assertEquals(0, n.input(1).constantValue().orElseThrow().rank(), "per-tensor scale");
            }
        }
        double cos = Runs.cosine(expected, Runs.run(m, feeds));
        assertTrue(cos > 0.995, "cosine to float " + cos);
    }

    /** Static INT8 calibrated on 64 random items of the model's own inputs. */
    static QuantizeReport quantize(Model m, StaticQuantizeConfig config) {
        Map<String, Tensor> calibration = Runs.feeds(m, 1, 64);
        return StaticRealModelsTest.quantize(m, config.withCalibration(config.calibration().withSamples(64, 16)),
                StaticRealModelsTest.arrays(calibration));
    }
    private static Float[] box(float[] a) {
        Float[] b = new Float[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }
}
