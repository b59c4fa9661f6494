package dev.bantam.compress.numerics;

import java.util.Arrays;
import java.util.Random;

/**
 * k-means of scalar values (weight sharing clusters the numbers of a tensor or of a channel), optionally
 * weighted: each value counts with its importance h (the squared error minimized is Σ h·(x - c)², the
 * centroid of a cluster its h-weighted mean, as in SqueezeLLM's sensitivity-weighted clustering). In one
 * dimension the clusters of Lloyd's algorithm are intervals between the midpoints of consecutive centroids,
 * so after one sort every iteration costs O(k log n): each interval's weight, weighted sum and weighted sum
 * of squares come from prefix sums. Ties go to the upper cluster. Deterministic for a seed. A test compares
 * it with plain Lloyd's iterations on the unsorted values.
 */
public final class KMeans1D {

    /** How the centroids start. */
    public enum Init {
        /** k-means++ (Arthur and Vassilvitskii, 2007), on a quantile sample of at most 65,536 values. */
        KMEANS_PLUS_PLUS,
        /** evenly spaced between the smallest and the largest value */
        LINEAR,
        /** at the quantiles: each starting cluster holds as many values (density-based) */
        DENSITY
    }

    /**
     * @param centroids  ascending, distinct; fewer than asked when the values have fewer distinct numbers
     * @param assignment the cluster of each value, in the values' order
     * @param sse        the (weighted) sum of squared distances to the centroids
     */
    public record Result(double[] centroids, int[] assignment, double sse, int iterations) {
    }

    private static final int SAMPLE = 1 << 16;

    private final double[] x;
    private final int[] order;
    private final double[] s0;
    private final double[] s1;
    private final double[] s2;

    private KMeans1D(float[] values, double[] weights) {
        int n = values.length;
        long[] keys = new long[n]; // the value's order-preserving bits, then its index: one primitive sort
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToIntBits(values[i] == 0f ? 0f : values[i]);
            int sortable = bits < 0 ? ~bits : bits | Integer.MIN_VALUE;
            keys[i] = ((long) (sortable ^ Integer.MIN_VALUE) << 32) | i;
        }
        Arrays.sort(keys);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = (int) keys[i];
        }
        x = new double[n];
        order = new int[n];
        s0 = new double[n + 1];
        s1 = new double[n + 1];
        s2 = new double[n + 1];
        for (int i = 0; i < n; i++) {
            order[i] = idx[i];
            x[i] = values[idx[i]];
            double h = weights == null ? 1 : weights[idx[i]];
            s0[i + 1] = s0[i] + h;
            s1[i + 1] = s1[i] + h * x[i];
            s2[i + 1] = s2[i] + h * x[i] * x[i];
        }
    }

    public static Result fit(float[] values, int k, Init init, long seed, int maxIterations) {
        return of(values, null).fit(k, init, seed, maxIterations);
    }

    public static Result fit(float[] values, double[] weights, int k, Init init, long seed, int maxIterations) {
        return of(values, weights).fit(k, init, seed, maxIterations);
    }

    /**
     * The values sorted once, ready for several runs (other k, starts or seeds).
     *
     * @param weights each value's importance (positive), or null for all equal
     */
    public static KMeans1D of(float[] values, double[] weights) {
        if (values.length == 0) {
            throw new IllegalArgumentException("k-means needs values");
        }
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("k-means of a tensor with a non-finite value");
            }
        }
        if (weights != null) {
            if (weights.length != values.length) {
                throw new IllegalArgumentException("k-means: " + weights.length + " weights for " + values.length + " values");
            }
            for (double h : weights) {
                if (!(h > 0) || !Double.isFinite(h)) {
                    throw new IllegalArgumentException("k-means weights must be positive and finite");
                }
            }
        }
        return new KMeans1D(values, weights);
    }

    public Result fit(int k, Init init, long seed, int maxIterations) {
        if (k < 1) {
            throw new IllegalArgumentException("k-means needs k >= 1");
        }
        double[] distinct = distinct(k);
        if (distinct != null) {
            return finish(distinct, 0);
        }
        double[] c = switch (init) {
            case LINEAR -> linear(k);
            case DENSITY -> density(k);
            case KMEANS_PLUS_PLUS -> plusPlus(k, seed);
        };
        int it = 0;
        for (; it < maxIterations; it++) {
            double[] next = step(c);
            if (Arrays.equals(next, c)) {
                break;
            }
            c = next;
        }
        return finish(c, it);
    }

    /** The distinct values when there are at most k of them, else null. */
    private double[] distinct(int k) {
        double[] d = new double[k + 1];
        int m = 0;
        for (double v : x) {
            if (m == 0 || v != d[m - 1]) {
                if (m == k) {
                    return null;
                }
                d[m++] = v;
            }
        }
        return Arrays.copyOf(d, m);
    }

    private double[] linear(int k) {
        double lo = x[0];
        double hi = x[x.length - 1];
        double[] c = new double[k];
        for (int j = 0; j < k; j++) {
            c[j] = lo + (j + 0.5) * (hi - lo) / k;
        }
        return c;
    }

    private double[] density(int k) {
        double[] c = new double[k];
        for (int j = 0; j < k; j++) {
            c[j] = x[(int) Math.min(x.length - 1, Math.floor((j + 0.5) * x.length / k))];
        }
        return dedupe(c);
    }

    private double[] plusPlus(int k, long seed) {
        int m = Math.min(SAMPLE, x.length);
        double[] sample = new double[m];
        for (int i = 0; i < m; i++) {
            sample[i] = x[(int) ((long) i * x.length / m)];
        }
        Random r = new Random(seed);
        double[] c = new double[k];
        double[] d2 = new double[m];
        c[0] = sample[r.nextInt(m)];
        Arrays.fill(d2, Double.POSITIVE_INFINITY);
        for (int j = 1; j < k; j++) {
            double total = 0;
            for (int i = 0; i < m; i++) {
                double d = sample[i] - c[j - 1];
                d2[i] = Math.min(d2[i], d * d);
                total += d2[i];
            }
            double target = r.nextDouble() * total;
            int pick = m - 1;
            for (int i = 0; i < m; i++) {
                target -= d2[i];
                if (target <= 0) {
                    pick = i;
                    break;
                }
            }
            c[j] = sample[pick];
        }
        Arrays.sort(c);
        return dedupe(c);
    }

    private static double[] dedupe(double[] sorted) {
        Arrays.sort(sorted);
        return Arrays.stream(sorted).distinct().toArray();
    }

    /** One Lloyd iteration: each interval's mean; an emptied cluster moves into the worst cluster's range. */
    private double[] step(double[] c) {
        int k = c.length;
        int[] start = bounds(c);
        double[] next = new double[k];
        double[] sse = new double[k];
        int empty = 0;
        for (int j = 0; j < k; j++) {
            int a = start[j];
            int b = start[j + 1];
            if (a == b) {
                empty++;
                next[j] = Double.NaN;
                sse[j] = -1;
                continue;
            }
            next[j] = (s1[b] - s1[a]) / (s0[b] - s0[a]);
            sse[j] = sse(a, b, next[j]);
        }
        for (int e = 0, j = 0; e < empty; j++) { // each emptied cluster splits one of the worst intervals
            if (!Double.isNaN(next[j])) {
                continue;
            }
            int worst = 0;
            for (int w = 1; w < k; w++) {
                worst = sse[w] > sse[worst] ? w : worst;
            }
            next[j] = x[start[worst] + (start[worst + 1] - start[worst]) * 3 / 4];
            sse[worst] = -1;
            e++;
        }
        return dedupe(next);
    }

    /** start[j] .. start[j+1]-1: the sorted positions nearest to centroid j (ties to the upper one). */
    private int[] bounds(double[] c) {
        int k = c.length;
        int[] start = new int[k + 1];
        start[k] = x.length;
        for (int j = 1; j < k; j++) {
            double mid = (c[j - 1] + c[j]) / 2;
            int lo = start[j - 1];
            int hi = x.length;
            while (lo < hi) { // first position with x >= mid
                int m = (lo + hi) >>> 1;
                if (x[m] < mid) {
                    lo = m + 1;
                } else {
                    hi = m;
                }
            }
            start[j] = lo;
        }
        return start;
    }

    private double sse(int a, int b, double c) {
        return Math.max(0, (s2[b] - s2[a]) - 2 * c * (s1[b] - s1[a]) + (s0[b] - s0[a]) * c * c);
    }

    private Result finish(double[] c, int iterations) {
        int[] start = bounds(c);
        int[] assignment = new int[x.length];
        double sse = 0;
        for (int j = 0; j < c.length; j++) {
            for (int i = start[j]; i < start[j + 1]; i++) {
                assignment[order[i]] = j;
            }
            sse += sse(start[j], start[j + 1], c[j]);
        }
        return new Result(c, assignment, sse, iterations);
    }
}
