package dev.bantam.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.testing.TestData;
import dev.bantam.runtime.RuntimeOptions;
import dev.bantam.runtime.metrics.LatencyStats;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What eval measures besides quality: latency from enough batches (memory: EvalCliTest, in a fresh process). */
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
}
