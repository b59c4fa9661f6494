package dev.bantam.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/** Stochastic gradient descent with (heavy-ball) momentum and coupled weight decay, as PyTorch's SGD. */
final class Sgd implements Optimizer {

    private final double momentum;
    private final double weightDecay;
    private final StateArrays state = new StateArrays();
    private long updates;

    Sgd(double momentum, double weightDecay) {
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    public void update(Map<String, NDArray> params, Map<String, NDArray> grads, double lr, NDManager step) {
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray w = e.getValue();
            NDArray g = grads.get(e.getKey());
            if (weightDecay > 0) {
                g = g.add(StateArrays.view(w, step).mul((float) weightDecay));
            }
            if (momentum > 0) {
                NDArray buf = StateArrays.view(state.get(e.getKey(), "momentum", w), step);
                buf.muli((float) momentum).addi(g);
                g = buf;
            }
            w.subi(g.mul((float) lr));
        }
        updates++;
    }

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
