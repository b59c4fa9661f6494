package dev.bantam.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.testing.TestData;
import dev.bantam.runtime.RuntimeOptions;
import dev.bantam.runtime.metrics.LatencyStats;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What eval measures besides quality: latency from enough batches and each session's own memory. */
class EvalMeasurementTest {

    /** One timed batch gave p50 = p90 = p99: latency needs 10 timed batches or 2 s, on any data size. */
    @Test
    void latencyComesFromTenTimedBatchesOrTwoSecondsEvenOnOneBatchOfData() throws Exception {
        TestData.fashionMnist();
        Path cnn = TestData.repoModel("fmnist/cnn.onnx");
        EvalResult r = Evaluator.run(new EvalConfig(cnn, cnn, "fmnist:,limit=8", Task.CLASSIFY, 32,
                RuntimeOptions.defaults(), 0.7), ProgressListener.NONE);
        assertEquals(8, r.items(), "the metrics count each item once");
        assertEquals(8, r.models().getLast().accuracy().items());
        for (ModelReport m : r.models()) {
            LatencyStats l = m.latency();
            assertTrue(l.runs() >= 10 || l.runs() * l.meanMs() >= 2000, m.name() + ": " + l);
        }
    }

    /** In a long-lived JVM too (the library's case): the same model twice holds the same native memory. */
    @Test
    void theSameModelTwiceHoldsTheSameMemoryInProcess(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path minilm = TestData.classpathModel("all-minilm-l6-v2.onnx", dir);
        EvalResult r = Evaluator.run(new EvalConfig(minilm, minilm, "synthetic:16,dims=sequence=64", Task.RAW, 8,
                RuntimeOptions.defaults(), 0.7), ProgressListener.NONE);
        long a = r.models().getFirst().memoryBytes();
        long b = r.models().getLast().memoryBytes();
        assertTrue(a > 20 << 20 && Math.abs(a - b) <= 0.1 * Math.max(a, b), a / 1048576.0 + " vs " + b / 1048576.0
                + " MiB");
    }
}
