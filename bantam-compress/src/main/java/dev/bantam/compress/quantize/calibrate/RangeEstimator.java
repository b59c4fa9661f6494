package dev.bantam.compress.quantize.calibrate;

import dev.bantam.compress.stats.Histogram;

/** Chooses a quantization range from a histogram by one of the {@link CalibrationMethod}s. */
public final class RangeEstimator {

    private static final int KL_LEVELS = 128;

    private RangeEstimator() {
    }

    /**
     * @param percentile used by {@code PERCENTILE} only, in (50, 100]
     * @param levels     quantization levels of the target type (256 for 8 bits, fewer with reduced range)
     */
    public static Range estimate(Histogram h, CalibrationMethod method, double percentile, int levels) {
        double lo = h.min();
        double hi = h.max();
        if (h.count() == 0 || lo == hi) {
            return new Range(lo, hi, 0);
        }
        double[] r = switch (method) {
            case MINMAX -> new double[] {lo, hi};
            case PERCENTILE -> percentile(h, percentile);
            case ENTROPY -> entropy(h);
            case MSE -> mse(h, levels);
        };
        return new Range(r[0], r[1], h.fractionOutside(r[0], r[1]));
    }

    private static double[] percentile(Histogram h, double p) {
        if (!(p > 50 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (50, 100], got " + p);
        }
        double tail = 1 - p / 100;
        double lo = h.min() < 0 ? Math.min(0, h.quantile(tail)) : h.min();
        double hi = h.max() > 0 ? Math.max(0, h.quantile(1 - tail)) : h.max();
        return new double[] {lo, hi};
    }

    /** TensorRT's KL-divergence threshold search over the histogram of magnitudes. */
    private static double[] entropy(Histogram h) {
        int half = Histogram.BINS / 2;
        double w = h.binWidth();
        int used = (int) Math.min(half, Math.ceil(Math.max(-h.min(), h.max()) / w));
        if (used <= KL_LEVELS) {
            return new double[] {h.min(), h.max()};
        }
        double[] abs = new double[used];
        for (int i = 0; i < Histogram.BINS; i++) {
            int k = i >= half ? i - half : half - 1 - i;
            abs[Math.min(k, used - 1)] += h.countAt(i);
        }
        int best = used;
        double bestKl = Double.POSITIVE_INFINITY;
        double[] p = new double[used];
        for (int t = KL_LEVELS; t <= used; t++) {
            System.arraycopy(abs, 0, p, 0, t);
            double outliers = 0;
            for (int i = t; i < used; i++) {
                outliers += abs[i];
            }
            p[t - 1] += outliers;
            double kl = divergence(p, abs, t);
            if (kl < bestKl) {
                bestKl = kl;
                best = t;
            }
        }
        double threshold = best * w;
        return new double[] {Math.max(h.min(), -threshold), Math.min(h.max(), threshold)};
    }

    /** KL(P || Q) where Q is P's first t bins squeezed into KL_LEVELS levels and spread back over non-empty bins. */
    private static double divergence(double[] p, double[] raw, int t) {
        double[] q = new double[t];
        double per = (double) t / KL_LEVELS;
        for (int level = 0; level < KL_LEVELS; level++) {
            int a = (int) Math.floor(level * per);
            int b = level == KL_LEVELS - 1 ? t : (int) Math.floor((level + 1) * per);
            double sum = 0;
            int nonEmpty = 0;
            for (int i = a; i < b; i++) {
                sum += raw[i];
                nonEmpty += raw[i] > 0 ? 1 : 0;
            }
            for (int i = a; i < b; i++) {
                q[i] = raw[i] > 0 ? sum / nonEmpty : 0;
            }
        }
        double ps = 0;
        double qs = 0;
        for (int i = 0; i < t; i++) {
            ps += p[i];
            qs += q[i];
        }
        double kl = 0;
        for (int i = 0; i < t; i++) {
            if (p[i] > 0) {
                double pi = p[i] / ps;
                double qi = q[i] > 0 ? q[i] / qs : 1e-12;
                kl += pi * Math.log(pi / qi);
            }
        }
        return kl;
    }

    /**
     * The clipping range with the least expected error (rounding inside, clipping outside), searched one end
     * at a time (each over 5%..100% of its extreme, the other end fixed), three rounds: the ends interact only
     * through the step size, so this converges to the joint optimum for the unimodal errors seen in practice.
     */
    private static double[] mse(Histogram h, int levels) {
        double lo = Math.min(0, h.min());
        double hi = Math.max(0, h.max());
        double bestLo = lo;
        double bestHi = hi;
        for (int round = 0; round < 3; round++) {
            bestHi = bestEnd(h, levels, bestLo, hi, true);
            bestLo = bestEnd(h, levels, bestHi, lo, false);
        }
        return new double[] {Math.max(h.min(), bestLo), Math.min(h.max(), bestHi)};
    }

    private static double bestEnd(Histogram h, int levels, double other, double extreme, boolean upper) {
        if (extreme == 0) {
            return 0;
        }
        double best = extreme;
        double bestErr = Double.POSITIVE_INFINITY;
        for (int step = 0; step < 96; step++) {
            double end = extreme * (1 - step * 0.01);
            double lo = upper ? other : end;
            double hi = upper ? end : other;
            double err = expectedError(h, lo, hi, (hi - lo) / (levels - 1));
            if (err < bestErr) {
                bestErr = err;
                best = end;
            }
        }
        return best;
    }

    private static double expectedError(Histogram h, double lo, double hi, double step) {
        double rounding = step * step / 12;
        double w = h.binWidth();
        double err = 0;
        for (int i = 0; i < Histogram.BINS; i++) {
            long c = h.countAt(i);
            if (c == 0) {
                continue;
            }
            double x = Math.max(h.min(), Math.min(h.max(), h.edge(i) + w / 2));
            double e = x < lo ? (lo - x) * (lo - x) : x > hi ? (x - hi) * (x - hi) : rounding;
            err += c * e;
        }
        return err;
    }
}
