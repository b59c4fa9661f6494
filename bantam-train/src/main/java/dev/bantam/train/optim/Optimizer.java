package dev.bantam.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bantam.train.loop.TrainConfig;
import java.util.Map;

/**
 * Updates parameters in place from their gradients. Its state (momentum, moments) is kept per parameter name,
 * can be saved and restored for checkpoints, and lives in the optimizer's own manager.
 */
public interface Optimizer extends AutoCloseable {

    /**
     * One update with learning rate {@code lr}. The gradients must be owned by {@code step}, where every
     * temporary goes (state enters the arithmetic as views owned by {@code step}).
     */
    void update(Map<String, NDArray> parameters, Map<String, NDArray> gradients, double lr, NDManager step);

    /** The state arrays by "parameter/slot" name, for checkpoints. */
    Map<String, NDArray> state();

    /** The number of updates done so far. */
    long updates();

    /** Restores state saved by {@link #state()} and the update count, for {@code parameters}. */
    void restore(Map<String, float[]> state, long updates, Map<String, NDArray> parameters);

    @Override
    void close();

    static Optimizer of(TrainConfig c) {
        return switch (c.optimizer()) {
            case SGD -> new Sgd(c.momentum(), c.weightDecay());
            case ADAMW -> new AdamW(0.9, 0.999, 1e-8, c.weightDecay());
        };
    }
}
