package dev.bantam.compress.stats;

import java.util.Arrays;

/**
 * Sums whose result does not depend on the order of the additions: each sum is a 128-bit fixed-point number
 * (a signed 64-bit integer part and a 64-bit fraction), and integer addition is associative. Every addend's
 * magnitude is truncated to a multiple of 2^-64 once, on the way in; what is lost there is below 5.5e-20 in
 * absolute terms and the same however the data is ordered or split, so partial sums computed apart merge to
 * the bit into the one-pass result. Magnitudes must stay below 2^62 (a sum that would overflow throws).
 */
public final class ExactSums {

    private static final double LIMIT = 0x1p62;
    private final long[] hi;
    private final long[] lo;

    public ExactSums(int size) {
        this.hi = new long[size];
        this.lo = new long[size];
    }

    public int size() {
        return hi.length;
    }

    /** Adds {@code v} (finite, |v| &lt; 2^62) to sum {@code i}. */
    public void add(int i, double v) {
        if (!(Math.abs(v) < LIMIT)) {
            throw new ArithmeticException("value " + v + " is outside the exact-sum range (|v| < 2^62)");
        }
        double magnitude = Math.abs(v);
        double whole = Math.floor(magnitude);
        double scaled = Math.scalb(magnitude - whole, 64); // exact: the fraction's bits are some of |v|'s own
        long frac = scaled >= 0x1p63 ? (long) (scaled - 0x1p63) ^ Long.MIN_VALUE : (long) scaled;
        long h = (long) whole;
        if (v < 0) { // two's complement negation of the 128-bit magnitude
            frac = -frac;
            h = frac == 0 ? -h : ~h;
        }
        addRaw(i, h, frac);
    }

    private void addRaw(int i, long wholePart, long fraction) {
        long sum = lo[i] + fraction;
        long carry = Long.compareUnsigned(sum, lo[i]) < 0 ? 1 : 0;
        lo[i] = sum;
        try {
            hi[i] = Math.addExact(Math.addExact(hi[i], wholePart), carry);
        } catch (ArithmeticException e) {
            throw new ArithmeticException("exact sum overflowed (values too large to accumulate)");
        }
    }

    /** Adds every sum of {@code other} (of the same size) to this one's. */
    public void merge(ExactSums other) {
        if (other.size() != size()) {
            throw new IllegalArgumentException("cannot merge " + other.size() + " sums into " + size());
        }
        for (int i = 0; i < hi.length; i++) {
            addRaw(i, other.hi[i], other.lo[i]);
        }
    }

    /**
     * Sum {@code i} as a double: its magnitude's integer part plus its fraction, each rounded once, so a small
     * sum keeps its relative precision whatever its sign.
     */
    public double get(int i) {
        long h = hi[i];
        long f = lo[i];
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
        return Arrays.equals(hi, other.hi) && Arrays.equals(lo, other.lo);
    }
}
