package dev.bantam.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/** Stochastic gradient descent with (heavy-ball) momentum and coupled weight decay, as PyTorch's SGD. */
final class Sgd extends StatefulOptimizer {

    private final double momentum;
    private final double weightDecay;

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
                g = g.add(dev.bantam.train.graph.Constants.view(w, step).mul((float) weightDecay));
            }
            if (momentum > 0) {
                NDArray buf = dev.bantam.train.graph.Constants.view(state.get(e.getKey(), "momentum", w), step);
                buf.muli((float) momentum).addi(g);
                g = buf;
            }
            w.subi(g.mul((float) lr));
        }
        updates++;
    }
}
