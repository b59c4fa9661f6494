package dev.bantam.compress.stats;

import java.nio.FloatBuffer;

/**
 * How the magnitudes of an activation spread over binary exponents: a count per exponent of float32 (its
 * subnormals, below 2^-126, share one bin), zeros and non-finite values apart, and the exact largest magnitude.
 * Enough to say how much of a tensor a narrower float type would overflow or push below its normal range, for any
 * type whose limits are powers of two. Counts add and the maximum is order-free, so merging is exact.
 */
public final class MagnitudeHistogram implements Accumulator<MagnitudeHistogram> {

    private static final int MIN_EXPONENT = Float.MIN_EXPONENT - 1;
    private static final int BINS = Float.MAX_EXPONENT - MIN_EXPONENT + 1;

    private final long[] counts = new long[BINS];
    private long zeros;
    private long nonFinite;
    private float maxAbs;

    @Override
    public void observe(long[] dims, FloatBuffer values) {
        for (int i = values.position(); i < values.limit(); i++) {
            float v = Math.abs(values.get(i));
            if (v == 0) {
                zeros++;
            } else if (!Float.isFinite(v)) {
                nonFinite++;
            } else {
                counts[Math.getExponent(v) - MIN_EXPONENT]++;
                if (v > maxAbs) {
                    maxAbs = v;
                }
            }
        }
    }

    @Override
    public void merge(MagnitudeHistogram other) {
        for (int i = 0; i < BINS; i++) {
            counts[i] += other.counts[i];
        }
        zeros += other.zeros;
        nonFinite += other.nonFinite;
        maxAbs = Math.max(maxAbs, other.maxAbs);
    }

    @Override
    public MagnitudeHistogram emptyCopy() {
        return new MagnitudeHistogram();
    }

    /** The largest finite magnitude seen (0 when none). */
    public float maxAbs() {
        return maxAbs;
    }

    /** Finite non-zero values seen. */
    public long nonZero() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    public long zeros() {
        return zeros;
    }

    /** Infinities and NaNs seen (already in float32). */
    public long nonFinite() {
        return nonFinite;
    }

    /** Finite non-zero values of magnitude below 2^{@code exponent}. */
    public long countBelow(int exponent) {
        long n = 0;
        for (int e = MIN_EXPONENT; e < Math.min(exponent, Float.MAX_EXPONENT + 1); e++) {
            n += counts[e - MIN_EXPONENT];
        }
        return n;
    }

    /** The fraction of finite non-zero values of magnitude below 2^{@code exponent} (0 when there are none). */
    public double fractionBelow(int exponent) {
        long all = nonZero();
        return all == 0 ? 0 : (double) countBelow(exponent) / all;
    }
}
