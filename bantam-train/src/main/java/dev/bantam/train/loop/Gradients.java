package dev.bantam.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parameters' gradients for one step, and clipping by their global norm. */
final class Gradients {

    private Gradients() {
    }

    /** The gradients, owned by {@code step} (a parameter no loss reached gets zeros). */
    static Map<String, NDArray> take(Map<String, NDArray> params, NDManager step) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray g;
            try {
                g = e.getValue().getGradient();
                g.attach(step);
            } catch (IllegalStateException | NullPointerException ex) {
                g = step.zeros(e.getValue().getShape(), e.getValue().getDataType());
            }
            grads.put(e.getKey(), g);
        }
        return grads;
    }

    /**
     * Scales every gradient by min(1, clip / ‖g‖₂) over all of them together; {@code clip} 0 does nothing. The norm
     * is summed on the engine and read once.
     */
    static void clip(Map<String, NDArray> grads, double clip) {
        if (clip <= 0 || grads.isEmpty()) {
            return;
        }
        NDArray sq = null;
        for (NDArray g : grads.values()) {
            NDArray s = g.square().sum();
            sq = sq == null ? s : sq.add(s);
        }
        double norm = Math.sqrt(sq.getFloat());
        if (norm > clip) {
            float scale = (float) (clip / norm);
            grads.values().forEach(g -> g.muli(scale));
        }
    }
}
