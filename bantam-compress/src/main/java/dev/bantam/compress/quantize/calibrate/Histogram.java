package dev.bantam.compress.quantize.calibrate;

import java.nio.FloatBuffer;

/**
 * Streamed statistics of one activation: exact minimum and maximum, and a histogram of fixed size over a
 * symmetric range {@code [-R, R]} that doubles when a value falls outside it. Doubling merges pairs of bins
 * exactly (the bin edges line up), so memory stays constant however many samples are observed, and the
 * histogram is the same whatever the batch size.
 */
public final class Histogram {

    /** Bins over {@code [-R, R]}; even, so zero is a bin edge. */
    public static final int BINS = 4096;

    private final long[] counts = new long[BINS];
    private double range;
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;
    private long total;
    private long nonFinite;

    /** Adds every value of the buffer (from its position to its limit; the position is not moved). */
    public void observe(FloatBuffer values) {
        int from = values.position();
        int to = values.limit();
        float lo = min;
        float hi = max;
        for (int i = from; i < to; i++) {
            float v = values.get(i);
            if (v < lo) {
                lo = v;
            }
            if (v > hi) {
                hi = v;
            }
        }
        if (Float.isNaN(lo) || Float.isNaN(hi) || Float.isInfinite(lo) && lo < 0 || Float.isInfinite(hi) && hi > 0) {
            observeCarefully(values, from, to);
            return;
        }
        min = lo;
        max = hi;
        grow(Math.max(Math.abs((double) lo), Math.abs((double) hi)));
        double inv = BINS / (2 * range);
        int half = BINS / 2;
        for (int i = from; i < to; i++) {
            counts[bin(values.get(i), inv, half)]++;
        }
        total += to - from;
    }

    public void observe(float[] values) {
        observe(FloatBuffer.wrap(values));
    }

    private void observeCarefully(FloatBuffer values, int from, int to) {
        for (int i = from; i < to; i++) {
            float v = values.get(i);
            if (!Float.isFinite(v)) {
                nonFinite++;
                continue;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
            grow(Math.abs((double) v));
            counts[bin(v, BINS / (2 * range), BINS / 2)]++;
            total++;
        }
    }

    private static int bin(float v, double inv, int half) {
        int b = (int) Math.floor(v * inv) + half;
        return b < 0 ? 0 : Math.min(b, BINS - 1);
    }

    private void grow(double needed) {
        if (range == 0) {
            if (needed == 0) {
                return;
            }
            range = Math.scalb(1.0, Math.getExponent(needed) + 1);
            return;
        }
        while (needed > range) {
            int half = BINS / 2;
            long[] merged = new long[BINS];
            for (int j = 0; j < BINS; j++) {
                merged[(j + half) / 2] += counts[j];
            }
            System.arraycopy(merged, 0, counts, 0, BINS);
            range *= 2;
        }
    }

    /** Values observed (non-finite values are counted apart). */
    public long count() {
        return total;
    }

    public long nonFiniteCount() {
        return nonFinite;
    }

    public float min() {
        return total == 0 ? 0 : min;
    }

    public float max() {
        return total == 0 ? 0 : max;
    }

    /** Half-width of the histogram range (a power of two). */
    public double range() {
        return range;
    }

    public double binWidth() {
        return 2 * range / BINS;
    }

    /** Lower edge of bin {@code i}. */
    public double edge(int i) {
        return -range + i * binWidth();
    }

    public long countAt(int i) {
        return counts[i];
    }

    /** The value below which {@code fraction} of the observations fall (linear within a bin). */
    public double quantile(double fraction) {
        if (total == 0) {
            return 0;
        }
        double target = fraction * total;
        double seen = 0;
        for (int i = 0; i < BINS; i++) {
            if (counts[i] > 0 && seen + counts[i] >= target) {
                double v = edge(i) + binWidth() * (target - seen) / counts[i];
                return Math.max(min, Math.min(max, v));
            }
            seen += counts[i];
        }
        return max;
    }

    /** Fraction of observations outside {@code [lo, hi]}, estimated from the bins. */
    public double fractionOutside(double lo, double hi) {
        if (total == 0) {
            return 0;
        }
        if (lo <= min && hi >= max) {
            return 0;
        }
        double out = 0;
        for (int i = 0; i < BINS; i++) {
            if (counts[i] == 0) {
                continue;
            }
            double a = Math.max(edge(i), min);
            double b = Math.min(edge(i) + binWidth(), max);
            if (b <= a) {
                out += a < lo || a > hi ? counts[i] : 0;
                continue;
            }
            double inside = Math.max(0, Math.min(b, hi) - Math.max(a, lo)) / (b - a);
            out += counts[i] * (1 - Math.min(1, inside));
        }
        return out / total;
    }
}
