package dev.bantam.compress.stats;

import java.nio.FloatBuffer;

/**
 * Streamed statistics of one activation: exact minimum and maximum, and a histogram of fixed size over a
 * symmetric range {@code [-R, R]}, R a power of two, that doubles when a value reaches it. Doubling merges
 * pairs of bins exactly (the bin edges line up), so memory stays constant however many samples are observed,
 * every value lands in the bin it would have at the final range, and the histogram is the same whatever the
 * batch size, the order of the batches, or how the data was split between histograms later merged.
 */
public final class Histogram implements Accumulator<Histogram> {

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
        boolean nan = false;
        for (int i = from; i < to; i++) {
            float v = values.get(i);
            nan |= v != v;
            if (v < lo) {
                lo = v;
            }
            if (v > hi) {
                hi = v;
            }
        }
        if (nan || !Float.isFinite(lo) || !Float.isFinite(hi)) {
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

    @Override
    public void observe(long[] dims, FloatBuffer values) {
        observe(values);
    }

    /** Adds another histogram's observations: bin for bin the same as if this one had seen them itself. */
    @Override
    public void merge(Histogram other) {
        if (other.total == 0 && other.nonFinite == 0) {
            return;
        }
        widenTo(other.range);
        long[] theirs = other.counts.clone();
        for (double r = other.range; r != 0 && r < range; r *= 2) {
            long[] merged = new long[BINS];
            for (int j = 0; j < BINS; j++) {
                merged[(j + BINS / 2) / 2] += theirs[j]; // the same bin pairs doubleRange merges
            }
            theirs = merged;
        }
        for (int i = 0; i < BINS; i++) {
            counts[i] += theirs[i];
        }
        if (other.total > 0) {
            min = Math.min(min, other.min);
            max = Math.max(max, other.max);
        }
        total += other.total;
        nonFinite += other.nonFinite;
    }

    @Override
    public Histogram emptyCopy() {
        return new Histogram();
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

    /** Widens the range until {@code needed} lies strictly inside it, so no value is ever clamped into a bin. */
    private void grow(double needed) {
        if (range == 0) {
            if (needed == 0) {
                return;
            }
            range = Math.scalb(1.0, Math.getExponent(needed) + 1);
            return;
        }
        while (needed >= range) {
            doubleRange();
        }
    }

    private void doubleRange() {
        long[] merged = new long[BINS];
        for (int j = 0; j < BINS; j++) {
            merged[(j + BINS / 2) / 2] += counts[j];
        }
        System.arraycopy(merged, 0, counts, 0, BINS);
        range *= 2;
    }

    /** Doubles the range until it is at least {@code r} (a power of two, or 0). */
    private void widenTo(double r) {
        if (range == 0) {
            range = r;
            return;
        }
        while (range < r) {
            doubleRange();
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
