package dev.bantam.runtime.eval;

import java.util.List;

/**
 * The outcome of {@link Evaluator#run}: what was measured on which data, per model (reference first when
 * there is one), and the candidate's per-item cosine to the reference for error-distribution plots.
 */
public record EvalResult(String task, String data, int items, int batchSize, String bantamVersion,
                         List<ModelReport> models, double[] itemCosines, String errorMetric) {
}
