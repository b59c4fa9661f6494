package dev.bantam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bantam.compress.testing.Graphs;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.testing.TestData;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code quantize} option in each mode: honoured (the output changes as documented) or refused with one
 * line and no output. Static runs on the Fashion-MNIST cnn (Conv, Conv, Gemm, Gemm) calibrated on 64 training
 * images; dynamic runs on the same model with Conv and Gemm in scope.
 */
class QuantizeOptionsTest {

    @TempDir
    static Path dir;

    static final String CALIBRATION = "fmnist:,split=train,limit=64";
    static Quantized staticBaseline;
    static Quantized dynamicBaseline;

    /** A quantize run: its exit, streams, the output model and the JSON report (null when it failed). */
    record Quantized(CliTest.Run run, Path file, Model model, JsonNode report) {

        long count(String op) {
            return model.graph().nodes().stream().filter(n -> n.opType().equals(op)).count();
        }

        /** The integer weights: constants read as input 0 of a DequantizeLinear or as MatMulInteger/ConvInteger weights. */
        List<Tensor> integerWeights() {
            List<Tensor> out = new ArrayList<>();
            for (Node n : model.graph()) {
                int i = n.isStandard("DequantizeLinear") ? 0 : n.opType().endsWith("Integer") ? 1 : -1;
                if (i >= 0 && n.input(i).constantValue().isPresent()) {
                    Tensor t = n.input(i).constantValue().get();
                    if (t.elementCount() > 64 && t.dataType() != DataType.INT32) {
                        out.add(t);
                    }
                }
            }
            return out;
        }

        JsonNode tensors() {
            return report.path("compression").path("steps").get(0).path("report").path("tensors");
        }
    }

    static int counter;

    static Quantized quantize(String model, String... args) throws Exception {
        Path out = dir.resolve("q" + counter++ + ".onnx");
        Path json = dir.resolve("q" + counter++ + ".json");
        List<String> a = new ArrayList<>(List.of("quantize", model, "-o", out.toString(), "--json", json.toString(), "--quiet"));
        a.addAll(List.of(args));
        CliTest.Run r = CliTest.bantam(a.toArray(String[]::new));
        if (r.code() != 0) {
            assertFalse(Files.exists(out), "no output after an error");
            return new Quantized(r, out, null, null);
        }
        return new Quantized(r, out, ModelIO.load(out), new ObjectMapper().readTree(json.toFile()));
    }

    static String cnn() {
        return TestData.repoModel("fmnist/cnn.onnx").toString();
    }

    /** {@code defaults} (option, value pairs) that {@code more} does not give, then {@code more}. */
    static String[] args(List<String> defaults, String... more) {
        List<String> a = new ArrayList<>();
        for (int i = 0; i < defaults.size(); i += 2) {
            if (!Arrays.asList(more).contains(defaults.get(i))) {
                a.addAll(defaults.subList(i, i + 2));
            }
        }
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    static Quantized staticRun(String... more) throws Exception {
        String[] a = args(List.of("--mode", "static", "--calibration-data", CALIBRATION, "--calibration-samples", "64"), more);
        String[] withFlag = Arrays.copyOf(a, a.length + 1);
        withFlag[a.length] = "--allow-slower"; // options, not timings, decide the model
        return quantize(cnn(), withFlag);
    }

    /** Dynamic on cnn with its Conv and Gemm layers in scope, whatever their size. */
    static Quantized dynamicRun(String... more) throws Exception {
        return quantize(cnn(), args(List.of("--op-types", "Conv,Gemm", "--min-weight-size", "0"), more));
    }

    @BeforeAll
    static void baselines() throws Exception {
        TestData.fashionMnist();
        staticBaseline = staticRun();
        dynamicBaseline = dynamicRun();
        assertEquals(0, staticBaseline.run().code(), staticBaseline.run().err());
        assertEquals(0, dynamicBaseline.run().code(), dynamicBaseline.run().err());
    }

    static void assertRefused(Quantized q, String fragment) {
        assertTrue(q.run().code() == 1 || q.run().code() == 2, "refused: " + q.run().code());
        List<String> lines = q.run().err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line: " + q.run().err());
        assertTrue(lines.getFirst().contains(fragment), q.run().err());
    }

    static boolean sameBytes(Quantized a, Quantized b) throws Exception {
        return Arrays.equals(withoutProvenance(a), withoutProvenance(b));
    }

    static byte[] withoutProvenance(Quantized q) throws Exception {
        Model m = ModelIO.load(q.file());
        m.metadata().removeIf(kv -> kv.key().startsWith("bantam."));
        return dev.bantam.onnx.ir.serde.OnnxSerde.toBytes(m);
    }

    static int maxMagnitude(Tensor t, int centre) {
        byte[] b = new byte[(int) t.elementCount()];
        java.lang.foreign.MemorySegment.copy(t.bytes(), ValueLayout.JAVA_BYTE, 0, b, 0, b.length);
        int max = 0;
        for (byte v : b) {
            max = Math.max(max, Math.abs((t.dataType() == DataType.UINT8 ? v & 0xff : v) - centre));
        }
        return max;
    }

    // ---- static mode ----

    @Test
    void staticFormat() throws Exception {
        Quantized q = staticRun("--format", "qoperator");
        assertEquals(2, q.count("QLinearConv"));
        assertEquals(0, staticBaseline.count("QLinearConv"));
        assertRefused(staticRun("--format", "qlinear"), "--format must be qdq or qoperator");
    }

    @Test
    void staticCalibrationDataSamplesAndBatch() throws Exception {
        assertEquals(48, staticBaseline.report().path("compression").path("steps").get(0).path("report")
                .path("calibrationItems").asLong(), "of 64 items, the last 16 are held out for the accuracy guard");
        Quantized fewer = staticRun("--calibration-samples", "16");
        assertEquals(16, fewer.report().path("compression").path("steps").get(0).path("report").path("calibrationItems").asLong());
        assertFalse(sameBytes(fewer, staticBaseline), "fewer samples, other ranges");
        assertTrue(sameBytes(staticRun("--calibration-batch", "5"), staticBaseline),
                "the batch size does not change the statistics, so not the model");
        assertRefused(quantize(cnn(), "--mode", "static"), "--mode static needs --calibration-data");
        assertRefused(staticRun("--calibration-samples", "0"), "calibration samples must be >= 1");
    }

    @Test
    void staticCalibrationMethodAndPercentile() throws Exception {
        Quantized p = staticRun("--calibration", "percentile", "--percentile", "99.9");
        JsonNode t = p.tensors();
        boolean anyPercentile = false;
        for (JsonNode x : t) {
            anyPercentile |= "percentile".equals(x.path("scheme").path("calibration").asText());
        }
        assertTrue(anyPercentile, "activations calibrated by percentile");
        assertFalse(sameBytes(p, staticBaseline));
        assertFalse(sameBytes(p, staticRun("--calibration", "percentile", "--percentile", "99.99")),
                "the percentile changes the ranges");
        assertRefused(staticRun("--percentile", "99.9"), "a percentile applies to percentile calibration only");
        assertRefused(staticRun("--calibration", "median"), "unknown calibration method 'median'");
    }

    @Test
    void staticActivationTypeAndSymmetry() throws Exception {
        Quantized s8 = staticRun("--activation-type", "int8");
        assertTrue(s8.model().graph().nodes().stream().filter(n -> n.isStandard("QuantizeLinear"))
                .allMatch(n -> n.input(2).constantValue().orElseThrow().dataType() == DataType.INT8));
        assertTrue(staticBaseline.model().graph().nodes().stream().filter(n -> n.isStandard("QuantizeLinear"))
                .allMatch(n -> n.input(2).constantValue().orElseThrow().dataType() == DataType.UINT8));
        Quantized sym = staticRun("--symmetric-activations");
        assertTrue(sym.model().graph().nodes().stream().filter(n -> n.isStandard("QuantizeLinear"))
                .allMatch(n -> (n.input(2).constantValue().orElseThrow().bytes().get(ValueLayout.JAVA_BYTE, 0) & 0xff) == 128),
                "symmetric uint8 activations have zero point 128");
        assertRefused(staticRun("--activation-type", "int4"), "--activation-type must be int8 or uint8");
    }

    @Test
    void staticWeightTypeGranularityAndRange() throws Exception {
        assertTrue(staticBaseline.integerWeights().stream().allMatch(t -> t.dataType() == DataType.INT8
                && maxMagnitude(t, 0) <= 63), "default: int8 in 7 bits");
        Quantized u8 = staticRun("--weight-type", "uint8");
        assertTrue(u8.integerWeights().stream().allMatch(t -> t.dataType() == DataType.UINT8 && maxMagnitude(t, 128) <= 63));
        Quantized full = staticRun("--full-range");
        assertTrue(full.integerWeights().stream().anyMatch(t -> maxMagnitude(t, 0) > 63), "8-bit weights use ±127");
        assertTrue(sameBytes(staticRun("--reduce-range"), staticBaseline), "static mode reduces the range by default");
        Quantized perTensor = staticRun("--per-tensor");
        assertTrue(perTensor.model().graph().nodes().stream().filter(n -> n.isStandard("DequantizeLinear")
                && n.input(0).constantValue().isPresent()).allMatch(n -> n.input(1).constantValue().orElseThrow().rank() == 0),
                "one scale per weight");
        assertTrue(staticBaseline.model().graph().nodes().stream().filter(n -> n.isStandard("DequantizeLinear")
                && n.input(0).constantValue().isPresent()).anyMatch(n -> n.input(1).constantValue().orElseThrow().rank() == 1));
        assertRefused(staticRun("--reduce-range", "--full-range"), "contradict");
        assertRefused(staticRun("--weight-type", "int4"), "--weight-type must be int8 or uint8");
    }

    @Test
    void staticScope() throws Exception {
        Quantized convOnly = staticRun("--op-types", "Conv,Relu,MaxPool");
        assertEquals(2, convOnly.count("Gemm"));
        assertEquals(2, convOnly.integerWeights().size(), "the two Conv weights");
        assertTrue(convOnly.model().graph().nodes().stream().filter(n -> n.isStandard("Gemm"))
                .noneMatch(n -> n.input(1).producer() != null && n.input(1).producer().isStandard("DequantizeLinear")),
                "Gemm weights stay float");
        Quantized noGemm = staticRun("--exclude-op-types", "Gemm");
        assertTrue(noGemm.model().graph().nodes().stream().filter(n -> n.isStandard("Gemm"))
                .noneMatch(n -> n.input(1).producer() != null && n.input(1).producer().isStandard("DequantizeLinear")));
        Quantized byName = staticRun("--exclude", "^/0/Conv$");
        assertEquals(1, byName.integerWeights().stream().filter(t -> t.rank() == 4).count(), "one Conv left in float");
        Quantized firstLast = staticRun("--keep-first-last");
        assertEquals(staticBaseline.integerWeights().size() - 2, firstLast.integerWeights().size());
        Quantized big = staticRun("--min-weight-size", "100000");
        assertEquals(1, big.integerWeights().size(), "only the 128x3136 weight is that large");
        assertRefused(staticRun("--op-types", "Softmax"), "quantize-static cannot handle Softmax");
        assertRefused(staticRun("--exclude", "(unclosed"), "exclude pattern '(unclosed' is not a regular expression");
        assertRefused(staticRun("--exclude-op-types", "Conv,Gemm"), "nothing to quantize");
    }

    @Test
    void staticSmoothQuant() throws Exception {
        Path ln = dir.resolve("layernorm.onnx");
        ModelIO.save(Graphs.twoLayerNormsSharingGammaBeta(), ln);
        Quantized on = quantize(ln.toString(), "--mode", "static", "--calibration-data", "synthetic:32", "--smoothquant", "0.5", "--allow-slower");
        Quantized off = quantize(ln.toString(), "--mode", "static", "--calibration-data", "synthetic:32", "--smoothquant", "0", "--allow-slower");
        assertEquals(0, on.run().code(), on.run().err());
        assertTrue(on.report().toString().contains("SmoothQuant alpha 0.50"), on.run().out());
        assertFalse(off.report().toString().contains("SmoothQuant alpha"));
        assertRefused(staticRun("--smoothquant", "1.5"), "SmoothQuant alpha must be in [0, 1]");
    }

    /** A --state pair naming no output or no input of the model is one line listing what the model has. */
    @Test
    void staticStateNamesAreChecked() throws Exception {
        Quantized q = staticRun("--state", "nope=input");
        assertRefused(q, "--state nope=input: the model has no output 'nope' (");
        assertFalse(q.run().err().contains("_observed"), "the model's own outputs, not calibration's: " + q.run().err());
    }

    // ---- dynamic mode ----

    @Test
    void dynamicRefusesEveryStaticOnlyOption() throws Exception {
        String[][] staticOnly = {{"--format", "qdq"}, {"--calibration-data", CALIBRATION}, {"--calibration-samples", "9"},
            {"--calibration-batch", "9"}, {"--calibration", "mse"}, {"--percentile", "99"}, {"--activation-type", "int8"},
            {"--symmetric-activations"}, {"--smoothquant", "0.5"}, {"--state", "a=b"}};
        for (String[] o : staticOnly) {
            assertRefused(dynamicRun(o), o[0] + " applies to --mode static only");
        }
    }

    @Test
    void dynamicWeightTypeGranularityAndRange() throws Exception {
        assertTrue(dynamicBaseline.integerWeights().stream().anyMatch(t -> maxMagnitude(t, t.dataType() == DataType.UINT8
                ? 128 : 0) > 63), "dynamic mode keeps 8 bits by default");
        Quantized reduced = dynamicRun("--reduce-range");
        assertTrue(reduced.integerWeights().stream().allMatch(t -> maxMagnitude(t, t.dataType() == DataType.UINT8 ? 128 : 0) <= 63));
        assertTrue(sameBytes(dynamicRun("--full-range"), dynamicBaseline));
        Quantized u8 = dynamicRun("--weight-type", "uint8");
        assertTrue(u8.integerWeights().stream().allMatch(t -> t.dataType() == DataType.UINT8), "uint8 MatMulInteger weights");
        assertTrue(dynamicBaseline.integerWeights().stream().anyMatch(t -> t.dataType() == DataType.INT8),
                "int8 by default (Conv keeps uint8, as ONNX Runtime's ConvInteger needs)");
        Quantized perTensor = dynamicRun("--per-tensor");
        for (JsonNode t : perTensor.tensors()) {
            assertEquals("per-tensor", t.path("scheme").path("granularity").asText(), t.toString());
            assertEquals(t.path("minScale").asDouble(), t.path("maxScale").asDouble(), "one scale");
        }
        for (JsonNode t : dynamicBaseline.tensors()) {
            assertEquals("per-channel", t.path("scheme").path("granularity").asText(), t.toString());
        }
    }

    @Test
    void dynamicScope() throws Exception {
        Quantized conv = dynamicRun("--op-types", "Conv");
        assertEquals(2, conv.count("ConvInteger"));
        assertEquals(0, conv.count("MatMulInteger"));
        Quantized noConv = dynamicRun("--exclude-op-types", "Conv");
        assertEquals(0, noConv.count("ConvInteger"));
        assertEquals(2, noConv.count("MatMulInteger"));
        Quantized byName = dynamicRun("--exclude", "^/0/Conv$");
        assertEquals(1, byName.count("ConvInteger"));
        Quantized firstLast = dynamicRun("--keep-first-last");
        assertEquals(1, firstLast.count("ConvInteger"), "the first Conv stays float");
        assertEquals(1, firstLast.count("MatMulInteger"), "the last Gemm stays float");
        Quantized big = dynamicRun("--min-weight-size", "100000");
        assertEquals(1, big.count("MatMulInteger"), "only the 128x3136 weight is that large");
        assertEquals(0, big.count("ConvInteger"));
        assertRefused(dynamicRun("--op-types", "Softmax"), "quantize-dynamic cannot handle Softmax");
        assertRefused(quantize(cnn()), "nothing to quantize");
    }

    @Test
    void reportsProgressAndVerbosity() throws Exception {
        Path html = dir.resolve("r.html");
        Quantized verbose = staticRun("--verbose", "--html", html.toString());
        assertEquals(0, verbose.run().code(), verbose.run().err());
        assertTrue(verbose.run().out().lines().count() > staticBaseline.run().out().lines().count() + 3,
                "--verbose lists every tensor");
        assertTrue(Files.readString(html).contains("<svg"));
        assertEquals("", staticBaseline.run().err(), "--quiet: nothing on stderr");
        Path dynamicHtml = dir.resolve("d.html");
        Quantized dynamicVerbose = dynamicRun("--verbose", "--html", dynamicHtml.toString(), "--exclude-op-types", "Gemm");
        assertTrue(dynamicVerbose.run().out().contains("note: left /9/Gemm (Gemm): excluded by operator type"),
                dynamicVerbose.run().out());
        assertTrue(Files.readString(dynamicHtml).contains("excluded by operator type"), "decisions in the page");
        assertEquals(2, dynamicVerbose.tensors().size(), "--json: every quantized tensor");
    }
}
