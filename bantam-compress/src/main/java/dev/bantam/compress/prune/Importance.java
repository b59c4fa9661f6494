package dev.bantam.compress.prune;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Tensor;
import java.util.Locale;

/**
 * How much each channel of a space matters, from the weights alone: the magnitude of every slice that makes or
 * reads it, summed over the whole space (the layers a residual couples count together, as in Torch-Pruning's group
 * importance). Each slot's contribution is divided by its tensor's mean magnitude, so a bias or a normalization
 * scale does not outweigh a convolution's rows by its units.
 */
public enum Importance {
    /** Sum of absolute values. */
    L1,
    /** Square root of the sum of squares. */
    L2;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Importance parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "l1" -> L1;
            case "l2" -> L2;
            default -> throw new IllegalArgumentException("importance must be l1 or l2, not '" + s + "'");
        };
    }

    /** One score per channel of {@code space}: higher matters more. */
    public double[] scores(ChannelSpace space) {
        double[] total = new double[(int) space.size()];
        for (Slot s : space.slots()) {
            Tensor t = s.node().input(s.input()).constantValue().orElseThrow();
            if (t.dataType() != DataType.FLOAT) {
                continue;
            }
            float[] v = t.toFloatArray();
            long[] dims = t.dims();
            long stride = 1;
            for (int a = dims.length - 1; a > s.axis(); a--) {
                stride *= dims[a];
            }
            double[] per = new double[total.length];
            double sum = 0;
            for (int i = 0; i < v.length; i++) {
                double m = this == L1 ? Math.abs(v[i]) : (double) v[i] * v[i];
                sum += Math.abs(v[i]);
                long p = (i / stride) % dims[s.axis()] - s.offset();
                if (p >= 0 && p < total.length * s.block()) {
                    per[(int) (p / s.block())] += m;
                }
            }
            double mean = sum / Math.max(1, v.length);
            for (int c = 0; c < total.length; c++) {
                double norm = this == L1 ? per[c] : Math.sqrt(per[c]);
                total[c] += mean > 0 ? norm / mean : 0;
            }
        }
        return total;
    }
}
