package dev.bantam.train.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * The sliding window of a convolution or pooling node: strides, dilations and pads, with {@code auto_pad}
 * resolved against the input's spatial size. The engine pads symmetrically; asymmetric pads are applied to the
 * input first ({@link #padded}), after which the window's own pads are zero.
 */
record Window(long[] strides, long[] dilations, long[] begin, long[] end) {

    static Window of(Kernel.Call c, Shape input, long[] kernel, float padValue) {
        int n = kernel.length;
        long[] strides = orOnes(c.intsAttr("strides"), n);
        long[] dilations = orOnes(c.intsAttr("dilations"), n);
        long[] begin = new long[n];
        long[] end = new long[n];
        String auto = c.stringAttr("auto_pad", "NOTSET");
        switch (auto) {
            case "NOTSET" -> {
                long[] pads = c.intsAttr("pads");
                if (pads != null) {
                    begin = Arrays.copyOfRange(pads, 0, n);
                    end = Arrays.copyOfRange(pads, n, 2 * n);
                }
            }
            case "VALID" -> { }
            case "SAME_UPPER", "SAME_LOWER" -> {
                for (int i = 0; i < n; i++) {
                    long in = input.get(2 + i);
                    long out = (in + strides[i] - 1) / strides[i];
                    long total = Math.max(0, (out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - in);
                    long small = total / 2;
                    begin[i] = auto.equals("SAME_UPPER") ? small : total - small;
                    end[i] = total - begin[i];
                }
            }
            default -> throw c.unsupported("auto_pad " + auto);
        }
        return new Window(strides, dilations, begin, end);
    }

    private static long[] orOnes(long[] v, int n) {
        if (v != null) {
            return v;
        }
        long[] ones = new long[n];
        Arrays.fill(ones, 1);
        return ones;
    }

    boolean asymmetric() {
        return !Arrays.equals(begin, end);
    }

    /** The pads the engine applies itself: the symmetric ones, or zeros once {@link #padded} padded the input. */
    long[] symmetricPads() {
        return asymmetric() ? new long[begin.length] : begin;
    }

    /** The input with asymmetric pads applied (the engine's pad order: last axis first, begin then end). */
    NDArray padded(NDArray x, float value) {
        if (!asymmetric()) {
            return x;
        }
        long[] p = new long[2 * begin.length];
        for (int i = 0; i < begin.length; i++) {
            int axis = begin.length - 1 - i;
            p[2 * i] = begin[axis];
            p[2 * i + 1] = end[axis];
        }
        return x.pad(new Shape(p), value);
    }
}
