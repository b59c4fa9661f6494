package dev.bantam.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/** Adam with decoupled weight decay (Loshchilov and Hutter), bias-corrected moments, as PyTorch's AdamW. */
final class AdamW extends StatefulOptimizer {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;

    AdamW(double beta1, double beta2, double eps, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    public void update(Map<String, NDArray> params, Map<String, NDArray> grads, double lr, NDManager step) {
        updates++;
        double c1 = 1 - Math.pow(beta1, updates);
        double c2 = 1 - Math.pow(beta2, updates);
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray w = e.getValue();
            NDArray g = grads.get(e.getKey());
            NDArray m = dev.bantam.train.graph.Constants.view(state.get(e.getKey(), "m", w), step);
            NDArray v = dev.bantam.train.graph.Constants.view(state.get(e.getKey(), "v", w), step);
            if (weightDecay > 0) {
                w.muli((float) (1 - lr * weightDecay));
            }
            m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
            v.muli((float) beta2).addi(g.square().mul((float) (1 - beta2)));
            w.subi(m.mul((float) (lr / c1)).div(v.div((float) c2).sqrt().add((float) eps)));
        }
    }
}
