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
     * Scales every gradient by min(1, clip / ‖g‖₂) over all of them together and returns the norm; {@code clip} 0
     * does nothing and returns NaN. The norm is summed on the engine and read once; when the sum of squares
     * overflows it is recomputed on gradients scaled by their largest magnitude. A non-finite norm (an infinite
     * or NaN gradient) is returned as it is and nothing is scaled: the caller refuses the step.
     */
    static double clip(Map<String, NDArray> grads, double clip) {
        if (clip <= 0 || grads.isEmpty()) {
            return Double.NaN;
        }
        double norm = Math.sqrt(sumOfSquares(grads, 1f));
        if (Double.isInfinite(norm)) {
            NDArray max = null;
            for (NDArray g : grads.values()) {
                NDArray m = g.abs().max();
                max = max == null ? m : max.maximum(m);
            }
            float scale = max.getFloat();
            norm = Float.isFinite(scale) ? scale * Math.sqrt(sumOfSquares(grads, 1 / scale)) : scale;
        }
        if (Double.isFinite(norm) && norm > clip) {
            float scale = (float) (clip / norm);
            grads.values().forEach(g -> g.muli(scale));
        }
        return norm;
    }

    private static double sumOfSquares(Map<String, NDArray> grads, float scale) {
        NDArray sq = null;
        for (NDArray g : grads.values()) {
            NDArray s = (scale == 1f ? g : g.mul(scale)).square().sum();
            sq = sq == null ? s : sq.add(s);
        }
        return sq.getFloat();
    }
}
