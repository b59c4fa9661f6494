package dev.bantam.runtime.metrics;

/** Percentiles of sorted samples by linear interpolation between closest ranks. */
public final class Percentiles {

    private Percentiles() {
    }

    /** The {@code p}-th percentile (0..100) of {@code sorted}, ascending. */
    public static double of(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double rank = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }
}
