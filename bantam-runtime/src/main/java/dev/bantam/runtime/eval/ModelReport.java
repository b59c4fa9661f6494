package dev.bantam.runtime.eval;

import dev.bantam.runtime.metrics.Accuracy;
import dev.bantam.runtime.metrics.Fidelity;
import dev.bantam.runtime.metrics.LatencyStats;
import java.util.List;

/**
 * Everything measured about one model in an evaluation. Fields that do not apply are null: accuracy
 * without labels, fidelity and embedding comparison for the reference itself.
 */
// memoryBytes: resident memory the session added from opening the model to its first run (weights, arena,
// runtime buffers); measured in one process, so a rough per-model figure.
public record ModelReport(String name, String path, long fileBytes, long parameterBytes,
                          Accuracy.Result accuracy, List<Fidelity.Result> fidelity, EmbeddingQuality embedding,
                          LatencyStats latency, long memoryBytes, Energy.Estimate energy) {
}
