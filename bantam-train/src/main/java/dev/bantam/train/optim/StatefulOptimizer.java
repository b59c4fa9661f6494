package dev.bantam.train.optim;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** What every optimizer keeps: per-parameter state arrays and the number of updates, saved and restored together. */
abstract class StatefulOptimizer implements Optimizer {

    protected final StateArrays state = new StateArrays();
    protected long updates;

    @Override
    public Map<String, NDArray> state() {
        return state.all();
    }

    @Override
    public long updates() {
        return updates;
    }

    @Override
    public void restore(Map<String, float[]> saved, long count, Map<String, NDArray> params) {
        state.restore(saved, params);
        updates = count;
    }

    @Override
    public void close() {
        state.close();
    }
}
