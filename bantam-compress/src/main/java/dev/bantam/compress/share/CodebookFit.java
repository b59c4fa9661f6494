package dev.bantam.compress.share;

import dev.bantam.compress.numerics.KMeans1D;
import java.util.Arrays;

/**
 * Fits a codebook to a group of weights (a tensor, or one output channel) and gives each weight its level.
 * Levels are ascending; {@link #nearest} assigns by the midpoints between them.
 */
final class CodebookFit {

    /** Ascending levels and, per weight, the index of its level. */
    record Fit(double[] levels, int[] index) {

        double value(int i) {
            return levels[index[i]];
        }

        double sse(float[] w) {
            double e = 0;
            for (int i = 0; i < w.length; i++) {
                double d = w[i] - levels[index[i]];
                e += d * d;
            }
            return e;
        }
    }

    private CodebookFit() {
    }

    /** @param importance per weight, how much its error counts (null: all alike; k-means only) */
    static Fit fit(float[] w, double[] importance, WeightSharingConfig c) {
        return switch (c.codebook()) {
            case KMEANS -> kmeans(w, importance, c);
            case UNIFORM -> uniform(w, c.clusters());
            case LOG2, LOG_SQRT2 -> c.incremental() ? incremental(w, logLevelsFor(w, c)) : nearest(w, logLevelsFor(w, c));
        };
    }

    private static Fit kmeans(float[] w, double[] h, WeightSharingConfig c) {
        int k = c.clusters();
        KMeans1D sorted = KMeans1D.of(w, h);
        KMeans1D.Result best = sorted.fit(k, c.init().single(), c.seed(), 300);
        if (c.init() == ClusterInit.BEST) {
            for (int s = 1; s <= 2; s++) {
                best = lower(best, sorted.fit(k, KMeans1D.Init.KMEANS_PLUS_PLUS, c.seed() + s, 300));
            }
            best = lower(best, sorted.fit(k, KMeans1D.Init.LINEAR, 0, 300));
            best = lower(best, sorted.fit(k, KMeans1D.Init.DENSITY, 0, 300));
        }
        return new Fit(best.centroids(), best.assignment());
    }

    private static KMeans1D.Result lower(KMeans1D.Result a, KMeans1D.Result b) {
        return b.sse() < a.sse() ? b : a;
    }

    /**
     * Asymmetric round-to-nearest on {@code k} evenly spaced levels {@code (q - zp) * scale}, q = 0..k-1, with zero
     * exactly representable: what DequantizeLinear stores.
     */
    static Fit uniform(float[] w, int k) {
        double lo = 0;
        double hi = 0;
        for (float v : w) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double scale = hi > lo ? (hi - lo) / (k - 1) : 1;
        long zp = Math.max(0, Math.min(k - 1, Math.round(-lo / scale)));
        double[] levels = new double[k];
        for (int q = 0; q < k; q++) {
            levels[q] = (q - zp) * scale;
        }
        int[] index = new int[w.length];
        for (int i = 0; i < w.length; i++) {
            index[i] = (int) Math.max(0, Math.min(k - 1, Math.round(w[i] / scale) + zp));
        }
        return new Fit(levels, index);
    }

    /** Zero and ±α·base^-j, j = 0 .. 2^(bits-1) - 2, with α chosen for the least squared error. */
    static double[] logLevelsFor(float[] w, WeightSharingConfig c) {
        double maxAbs = 0;
        for (float v : w) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        if (maxAbs == 0) {
            return new double[] {0};
        }
        double base = c.codebook() == Codebook.LOG2 ? 2 : Math.sqrt(2);
        int exponents = (1 << (c.bits() - 1)) - 1;
        double[] best = null;
        double bestError = Double.POSITIVE_INFINITY;
        for (int t = 0; t <= 16; t++) { // α from the largest magnitude down to half of it
            double[] levels = logLevels(maxAbs * Math.pow(2, -t / 16.0), base, exponents);
            double err = nearest(w, levels).sse(w);
            if (err < bestError) {
                bestError = err;
                best = levels;
            }
        }
        return best;
    }

    static double[] logLevels(double alpha, double base, int exponents) {
        double[] levels = new double[2 * exponents + 1]; // the last stays zero
        for (int j = 0; j < exponents; j++) {
            double v = alpha * Math.pow(base, -j);
            levels[2 * j] = v;
            levels[2 * j + 1] = -v;
        }
        Arrays.sort(levels);
        return levels;
    }

    /** Each weight to its nearest level (ties to the upper one). */
    static Fit nearest(float[] w, double[] levels) {
        int[] index = new int[w.length];
        for (int i = 0; i < w.length; i++) {
            index[i] = nearest(levels, w[i]);
        }
        return new Fit(levels, index);
    }

    static int nearest(double[] levels, double v) {
        int lo = 0;
        int hi = levels.length - 1;
        while (lo < hi) { // the first level whose upper midpoint is above v
            int m = (lo + hi) >>> 1;
            if (v >= (levels[m] + levels[m + 1]) / 2) {
                lo = m + 1;
            } else {
                hi = m;
            }
        }
        return lo;
    }

    /**
     * Incremental quantization without data (the INQ schedule: 50%, 75%, 87.5%, 100%): the largest-magnitude
     * weights still free are fixed to their nearest level, and their rounding error is moved into the free
     * weights in proportion to their magnitude, keeping the group's sum; then the next portion.
     */
    static Fit incremental(float[] original, double[] levels) {
        int n = original.length;
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = original[i];
        }
        int[] index = new int[n];
        boolean[] fixed = new boolean[n];
        int done = 0;
        for (double portion : new double[] {0.5, 0.75, 0.875, 1.0}) {
            int target = (int) Math.ceil(portion * n);
            Integer[] free = new Integer[n - done];
            for (int i = 0, f = 0; i < n; i++) {
                if (!fixed[i]) {
                    free[f++] = i;
                }
            }
            double[] mag = w;
            Arrays.sort(free, (a, b) -> a.equals(b) ? 0 : Math.abs(mag[b]) != Math.abs(mag[a])
                    ? Double.compare(Math.abs(mag[b]), Math.abs(mag[a])) : Integer.compare(a, b));
            double error = 0;
            int now = target - done;
            for (int f = 0; f < now; f++) {
                int i = free[f];
                index[i] = nearest(levels, w[i]);
                error += w[i] - levels[index[i]];
                fixed[i] = true;
            }
            done = target;
            double weight = 0;
            for (int f = now; f < free.length; f++) {
                weight += Math.abs(w[free[f]]);
            }
            if (weight > 0) {
                for (int f = now; f < free.length; f++) {
                    w[free[f]] += error * Math.abs(w[free[f]]) / weight;
                }
            }
        }
        return new Fit(levels, index);
    }
}
