package dev.bantam.runtime.eval;

import dev.bantam.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.Map;

/**
 * One evaluation: a model, an optional reference to compare it with, the data, and how to run.
 *
 * @param reference   null to measure the model alone
 * @param batchSize   items per run; 0 chooses: the model's fixed item dimension when its inputs all have one, else
 *                    {@link #DEFAULT_BATCH}
 * @param probeTrain  fraction of labeled items the embedding probe trains on (the rest is held out)
 * @param mapThreshold where a score map counts as marked, for {@link Task#MAP}
 * @param state        output name → input name: each item's output is fed to the next item's input (a recurrent
 *                     model's state, streamed over items in order, one item per run); empty for none
 */
public record EvalConfig(Path model, Path reference, String data, Task task, int batchSize,
                         RuntimeOptions runtime, double probeTrain, double mapThreshold, Map<String, String> state) {

    public EvalConfig(Path model, Path reference, String data, Task task, int batchSize, RuntimeOptions runtime,
                      double probeTrain, double mapThreshold) {
        this(model, reference, data, task, batchSize, runtime, probeTrain, mapThreshold, Map.of());
    }

    /** The batch size when the model leaves it free. */
    public static final int DEFAULT_BATCH = 32;

    /** The default map threshold: half way for probability maps. */
    public static final double DEFAULT_MAP_THRESHOLD = 0.5;

    public EvalConfig(Path model, Path reference, String data, Task task, int batchSize, RuntimeOptions runtime,
                      double probeTrain) {
        this(model, reference, data, task, batchSize, runtime, probeTrain, DEFAULT_MAP_THRESHOLD);
    }

    public EvalConfig {
        if (model == null || data == null || task == null) {
            throw new IllegalArgumentException("model, data and task are required");
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("batch size must be >= 1 (or 0: chosen from the model), got " + batchSize);
        }
        if (probeTrain <= 0 || probeTrain >= 1) {
            throw new IllegalArgumentException("probe training fraction must be in (0,1), got " + probeTrain);
        }
        state = state == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(state));
        if (!state.isEmpty() && batchSize != 1) {
            throw new IllegalArgumentException("streaming state runs one item at a time: the batch size must be 1, got "
                    + batchSize);
        }
        if (!Double.isFinite(mapThreshold)) {
            throw new IllegalArgumentException("the map threshold must be a finite number, got " + mapThreshold);
        }
        if ((task == Task.SEQUENCE || task == Task.MAP) && reference == null) {
            throw new IllegalArgumentException("--task " + task.name().toLowerCase(java.util.Locale.ROOT)
                    + " compares with a reference: give --reference (e.g. the float original)");
        }
    }

    /** This evaluation on other data. */
    public EvalConfig withData(String spec) {
        return new EvalConfig(model, reference, spec, task, batchSize, runtime, probeTrain, mapThreshold, state);
    }

    /** This evaluation with {@code batch} items per run. */
    public EvalConfig withBatch(int batch) {
        return new EvalConfig(model, reference, data, task, batch, runtime, probeTrain, mapThreshold, state);
    }

    public static EvalConfig of(Path model, Path reference, String data, Task task) {
        return new EvalConfig(model, reference, data, task, 32, RuntimeOptions.defaults(), 0.7);
    }
}
