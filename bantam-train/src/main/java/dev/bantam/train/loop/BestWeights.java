package dev.bantam.train.loop;

import ai.djl.ndarray.NDArray;
import java.util.HashMap;
import java.util.Map;

/** A copy of the weights of the epoch with the lowest validation loss so far, to return to at the end. */
final class BestWeights implements AutoCloseable {

    private final Map<String, float[]> saved = new HashMap<>();
    private double loss = Double.POSITIVE_INFINITY;
    private int epoch;

    /** Keeps the weights if {@code validationLoss} is the best so far; returns whether it was. */
    boolean offer(int e, double validationLoss, Map<String, NDArray> params, Map<String, NDArray> state) {
        if (!(validationLoss < loss)) {
            return false;
        }
        loss = validationLoss;
        epoch = e;
        params.forEach((k, v) -> saved.put("p:" + k, v.toFloatArray()));
        state.forEach((k, v) -> saved.put("s:" + k, v.toFloatArray()));
        return true;
    }

    int epoch() {
        return epoch;
    }

    void restore(Map<String, NDArray> params, Map<String, NDArray> state) {
        params.forEach((k, v) -> dev.bantam.train.graph.Torch.assign(v, saved.get("p:" + k)));
        state.forEach((k, v) -> dev.bantam.train.graph.Torch.assign(v, saved.get("s:" + k)));
    }

    @Override
    public void close() {
        saved.clear();
    }
}
