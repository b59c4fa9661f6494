package dev.bantam.compress.weightonly;

/**
 * The scale and integer zero point of one block: a weight w is stored as code q = clamp(round(w / scale) + zero)
 * and read back as (q − zero) · scale. A symmetric block's scale may be negative (the largest magnitude then
 * maps to code 0 exactly, using the whole range, as llama.cpp's Q4_0 does).
 */
public record BlockParams(float scale, int zero) {

    /** The code of {@code w} in a format with codes 0 to {@code maxCode}. */
    public int code(double w, int maxCode) {
        long q = Math.round(w / scale) + zero;
        return (int) Math.max(0, Math.min(maxCode, q));
    }

    /** The value code {@code q} stands for. */
    public float value(int q) {
        return (q - zero) * scale;
    }

    /**
     * Min-max parameters of {@code w[from, to)} (a block): symmetric around the midpoint, or asymmetric over a range
     * that includes 0 so that the zero point is a code. A block of zeros gets scale 1.
     */
    public static BlockParams minMax(float[] w, int from, int to, BlockFormat f) {
        return clipped(w, from, to, f, 1);
    }

    /** {@link #minMax} of the block's range shrunk towards zero by {@code ratio} (1: the whole range). */
    public static BlockParams clipped(float[] w, int from, int to, BlockFormat f, double ratio) {
        if (f.symmetric()) {
            float extreme = 0;
            for (int i = from; i < to; i++) {
                if (Math.abs(w[i]) > Math.abs(extreme)) {
                    extreme = w[i];
                }
            }
            float scale = (float) (extreme * ratio) / -f.midpoint();
            return new BlockParams(scale == 0 || !Float.isFinite(scale) ? 1f : scale, f.midpoint());
        }
        float lo = 0;
        float hi = 0;
        for (int i = from; i < to; i++) {
            lo = Math.min(lo, w[i]);
            hi = Math.max(hi, w[i]);
        }
        lo = (float) (lo * ratio);
        hi = (float) (hi * ratio);
        float scale = (hi - lo) / f.maxCode();
        if (scale == 0 || !Float.isFinite(scale)) {
            return new BlockParams(1f, 0);
        }
        int zero = (int) Math.max(0, Math.min(f.maxCode(), Math.round(-lo / scale)));
        return new BlockParams(scale, zero);
    }

    /** Σ (w − value(code(w)))² over {@code w[from, to)}. */
    public double squaredError(float[] w, int from, int to, int maxCode) {
        double e = 0;
        for (int i = from; i < to; i++) {
            double d = w[i] - value(code(w[i], maxCode));
            e += d * d;
        }
        return e;
    }
}
