package dev.bantam.compress.stats;

import java.util.Arrays;

/**
 * Sums whose result does not depend on the order of the additions: each sum is a 128-bit fixed-point number
 * (a signed 64-bit integer part and a 64-bit fraction), and integer addition is associative. Every addend's
 * magnitude is truncated to a multiple of 2^-63 once, on the way in; what is lost there is below 1.1e-19 in
 * absolute terms and the same however the data is ordered or split, so partial sums computed apart merge to
 * the bit into the one-pass result. Magnitudes must stay below 2^62 (a sum that would overflow throws).
 */
public final class ExactSums {

    private static final double LIMIT = 0x1p62;
    /** Sum i is {@code sums[2i]} (integer part, signed) and {@code sums[2i+1]} (fraction, unsigned), side by side. */
    private final long[] sums;

    public ExactSums(int size) {
        this.sums = new long[2 * size];
    }

    public int size() {
        return sums.length / 2;
    }

    /** Adds {@code v} (finite, |v| &lt; 2^62) to sum {@code i}. */
    public void add(int i, double v) {
        if (!(Math.abs(v) < LIMIT)) {
            throw new ArithmeticException("value " + v + " is outside the exact-sum range (|v| < 2^62)");
        }
        double magnitude = Math.abs(v);
        long h = (long) magnitude; // truncation: the integer part of a non-negative value
        long frac = (long) ((magnitude - h) * 0x1p63) << 1; // exact fraction, cut to 63 bits, as a 64-bit fraction
        if (v == 0) {
            return;
        }
        if (v < 0) { // two's complement negation of the 128-bit magnitude
            frac = -frac;
            h = frac == 0 ? -h : ~h;
        }
        addRaw(i, h, frac);
    }

    private void addRaw(int i, long wholePart, long fraction) {
        int at = 2 * i;
        long lo = sums[at + 1];
        long sum = lo + fraction;
        long hi = sums[at];
        long t = hi + wholePart;
        boolean carry = Long.compareUnsigned(sum, lo) < 0;
        if (((hi ^ t) & (wholePart ^ t)) < 0 || carry && t == Long.MAX_VALUE) {
            throw new ArithmeticException("exact sum overflowed (values too large to accumulate)");
        }
        sums[at] = carry ? t + 1 : t;
        sums[at + 1] = sum;
    }

    /** Adds every sum of {@code other} (of the same size) to this one's. */
    public void merge(ExactSums other) {
        if (other.size() != size()) {
            throw new IllegalArgumentException("cannot merge " + other.size() + " sums into " + size());
        }
        for (int i = 0; i < size(); i++) {
            addRaw(i, other.sums[2 * i], other.sums[2 * i + 1]);
        }
    }

    /**
     * Sum {@code i} as a double: its magnitude's integer part plus its fraction, each rounded once, so a small
     * sum keeps its relative precision whatever its sign.
     */
    public double get(int i) {
        long h = sums[2 * i];
        long f = sums[2 * i + 1];
        boolean negative = h < 0;
        if (negative) { // two's complement negation of the 128-bit number
            f = -f;
            h = f == 0 ? -h : ~h;
        }
        double fraction = ((double) (f >>> 1) * 2.0 + (f & 1)) * 0x1p-64;
        double magnitude = (double) h + fraction;
        return negative ? -magnitude : magnitude;
    }

    /** Whether the two hold the same sums, bit for bit. */
    public boolean sameAs(ExactSums other) {
        return Arrays.equals(sums, other.sums);
    }
}
