package dev.bantam.runtime.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.compress.CalibrationSettings;
import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Macs;
import dev.bantam.compress.Score;
import dev.bantam.compress.Scorer;
import dev.bantam.compress.quantize.DynamicQuantization;
import dev.bantam.compress.quantize.DynamicQuantizeConfig;
import dev.bantam.compress.stats.ActivationStatistics;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.testing.TestData;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ONNX Runtime context: statistics from calibration data, scores on evaluation data, MAC counts. */
class OrtContextTest {

    static final String SAMPLE = "fmnist:" + TestData.repoModel("fmnist/sample");

    @Test
    void collectsTheStatisticsAskedForAndLeavesTheModelAsItWas() throws Exception {
        Model m = ModelIO.load(TestData.repoModel("fmnist/cnn.onnx"));
        int outputs = m.graph().outputs().size();
        ActivationStatistics request = new ActivationStatistics().withHistogram("input").withHistogram("/0/Conv_output_0")
                .withChannelMoments("/0/Conv_output_0", 1).withGram("/8/Flatten_output_0", -1);
        try (OrtContext context = OrtContext.calibratingOn(SAMPLE + ",split=train")) {
            ActivationStatistics s = context.collect(m, request, new CalibrationSettings(40, 16));
            assertEquals(40, s.items());
            assertEquals(40L * 28 * 28, s.histogram("input").count(), "graph inputs are observed from the feeds");
            assertEquals(0f, s.histogram("input").min());
            assertEquals(1f, s.histogram("input").max(), "pixels scaled to [0, 1]");
            assertEquals(32, s.channelMoments("/0/Conv_output_0").channels(), "the first Conv's 32 channels on axis 1");
            assertEquals(3136, s.gram("/8/Flatten_output_0").width());
            assertEquals(40, s.gram("/8/Flatten_output_0").rows());
        }
        assertEquals(outputs, m.graph().outputs().size(), "the exposed activations are not left as outputs");
    }

    @Test
    void scoresACandidateAgainstTheReference() throws Exception {
        Model reference = ModelIO.load(TestData.repoModel("fmnist/cnn.onnx"));
        try (OrtContext context = OrtContext.builder().evaluationData(SAMPLE).build()) {
            Score same = context.score(reference, ModelIO.load(TestData.repoModel("fmnist/cnn.onnx")), 200);
            assertEquals(200, same.items());
            assertEquals(1.0, same.meanCosine(), 1e-6);
            assertEquals(1.0, same.top1Agreement());
            assertEquals(same.referenceTop1(), same.candidateTop1());
            Model quantized = ModelIO.load(TestData.repoModel("fmnist/cnn.onnx"));
            new DynamicQuantization().apply(quantized, DynamicQuantizeConfig.defaults().withScope(
                    DynamicQuantizeConfig.defaults().scope().withOpTypes(List.of("Gemm"))), CompressionContext.withoutData());
            Score q = context.score(reference, quantized, 200);
            assertTrue(q.meanCosine() > 0.99 && q.meanCosine() < 1, "cosine " + q.meanCosine());
            assertTrue(q.candidateTop1() > 0.85, "top-1 " + q.candidateTop1());
            assertThrows(IllegalStateException.class, () -> OrtContext.calibratingOn(SAMPLE).score(reference, quantized, 10),
                    "no evaluation data");
        }
    }

    @Test
    void aScorerRunsTheReferenceOnceAndScoresEachCandidateAsScoreDoes() throws Exception {
        Model reference = ModelIO.load(TestData.repoModel("fmnist/cnn.onnx"));
        Model quantized = ModelIO.load(TestData.repoModel("fmnist/cnn.onnx"));
        new DynamicQuantization().apply(quantized, DynamicQuantizeConfig.defaults().withScope(
                DynamicQuantizeConfig.defaults().scope().withOpTypes(List.of("Gemm"))), CompressionContext.withoutData());
        try (OrtContext context = OrtContext.builder().evaluationData(SAMPLE).scoreBatch(16).build();
             Scorer scorer = context.scorer(reference, 100)) {
            Score once = context.score(reference, quantized, 100);
            Score kept = scorer.score(quantized);
            assertEquals(once, kept, "the kept reference outputs give the same score");
            assertEquals(once, scorer.score(quantized), "and again");
            Score first = scorer.score(quantized, 20);
            assertEquals(32, first.items(), "the first whole batches holding 20 items");
            assertEquals(context.score(reference, quantized, 32), first);
            assertEquals(1.0, scorer.score(ModelIO.load(TestData.repoModel("fmnist/cnn.onnx"))).meanCosine(), 1e-6);
        }
    }

    @Test
    void countsMacsPerItem() throws Exception {
        Model m = ModelIO.load(TestData.repoModel("fmnist/cnn.onnx"));
        try (OrtContext context = OrtContext.calibratingOn(SAMPLE)) {
            Macs macs = context.macs(m).orElseThrow();
            // Conv 1->32 3x3 on 28x28, Conv 32->64 3x3 on 14x14, Gemm 3136->128, Gemm 128->10
            long expected = 28L * 28 * 32 * 9 + 14L * 14 * 64 * 32 * 9 + 3136L * 128 + 128L * 10;
            assertEquals(expected, macs.fp32());
            assertEquals(0, macs.int8());
        }
        assertTrue(CompressionContext.withoutData().macs(m).isEmpty());
    }

    @Test
    void withoutCalibrationDataStatisticsAreRefusedWithAHint() throws Exception {
        Model m = ModelIO.load(TestData.repoModel("fmnist/tiny.onnx"));
        var e = assertThrows(IllegalStateException.class, () -> OrtContext.builder().build()
                .collect(m, new ActivationStatistics().withHistogram("input"), new CalibrationSettings(1, 1)));
        assertTrue(e.getMessage().contains("needs calibration data"), e.getMessage());
        var n = assertThrows(IllegalStateException.class, () -> CompressionContext.withoutData()
                .collect(m, new ActivationStatistics(), new CalibrationSettings(1, 1)));
        assertTrue(n.getMessage().contains("--data"), n.getMessage());
        assertTrue(Files.exists(TestData.repoModel("fmnist/tiny.onnx")));
    }
}
