package dev.bantam.train.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * The learned maps a feature hint puts between a student value and a wider or narrower teacher value: a 1x1
 * convolution for [N, C, H, W] maps of equal spatial size, a linear map of the last axis otherwise.
 */
final class Adapters {

    private Adapters() {
    }

    /** The adapter's weight, or null when the shapes already match; refuses shapes no adapter can bridge. */
    static NDArray create(NDManager m, DistillConfig.Hint h, Shape student, Shape teacher, SplittableRandom rng) {
        if (student.equals(teacher)) {
            return null;
        }
        int r = student.dimension();
        long in;
        long out;
        long[] dims;
        if (r == 4 && teacher.dimension() == 4 && student.slice(2).equals(teacher.slice(2))) {
            in = student.get(1);
            out = teacher.get(1);
            dims = new long[] {out, in, 1, 1};
        } else if (r == teacher.dimension() && student.slice(0, r - 1).equals(teacher.slice(0, r - 1))) {
            in = student.get(r - 1);
            out = teacher.get(r - 1);
            dims = new long[] {in, out};
        } else {
            throw new IllegalArgumentException("hint " + h.student() + " -> " + h.teacher() + ": shapes " + student
                    + " and " + teacher + " differ beyond the channel (or last) axis, so no 1x1 conv or linear "
                    + "adapter fits");
        }
        float[] w = new float[(int) (in * out)];
        double bound = 1 / Math.sqrt(in);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        NDArray a = m.create(w, new Shape(dims));
        a.setRequiresGradient(true);
        return a;
    }

    static NDArray apply(NDArray x, NDArray weight) {
        if (weight.getShape().dimension() == 4) {
            return x.getNDArrayInternal().convolution(x, weight, null, new Shape(1, 1), new Shape(0, 0),
                    new Shape(1, 1), 1).head();
        }
        return x.matMul(weight);
    }
}
