package dev.bantam.compress.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.compress.quantize.calibrate.CalibrationMethod;
import dev.bantam.compress.quantize.calibrate.Range;
import dev.bantam.compress.quantize.calibrate.RangeEstimator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streamed histogram (range doubling as values grow, batch by batch) against the simple reference: one
 * histogram built at once over the final range; and the range estimators on distributions with known answers.
 */
class HistogramTest {

    private static float[] gaussian(int n, double sigma, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * sigma);
        }
        return v;
    }

    /** Reference: every value binned directly over [-range, range]. */
    private static long[] reference(float[] all, double range) {
        long[] c = new long[Histogram.BINS];
        double w = 2 * range / Histogram.BINS;
        for (float v : all) {
            int b = (int) Math.floor((v + range) / w);
            c[Math.max(0, Math.min(Histogram.BINS - 1, b))]++;
        }
        return c;
    }

    @Test
    void streamedBatchesWithGrowingRangeEqualTheDirectHistogram() {
        Histogram h = new Histogram();
        float[] all = new float[0];
        for (int batch = 0; batch < 6; batch++) {
            float[] v = gaussian(5000, Math.pow(3, batch) * 0.01, batch); // each batch wider: the range doubles
            h.observe(v);
            float[] grown = java.util.Arrays.copyOf(all, all.length + v.length);
            System.arraycopy(v, 0, grown, all.length, v.length);
            all = grown;
        }
        long[] ref = reference(all, h.range());
        for (int i = 0; i < Histogram.BINS; i++) {
            assertEquals(ref[i], h.countAt(i), "bin " + i);
        }
        assertEquals(all.length, h.count());
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : all) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(min, h.min());
        assertEquals(max, h.max());
    }

    @Test
    void nonFiniteValuesAreCountedApartAndDoNotBreakTheRange() {
        Histogram h = new Histogram();
        h.observe(new float[] {1f, Float.NaN, -2f, Float.POSITIVE_INFINITY});
        assertEquals(2, h.count());
        assertEquals(2, h.nonFiniteCount());
        assertEquals(-2f, h.min());
        assertEquals(1f, h.max());
    }

    /** Issue 10: a batch of only NaN (or NaN among finite values) is counted as non-finite, never binned as zero. */
    @Test
    void nanOnlyBatchesAreNotCountedAsValues() {
        Histogram h = new Histogram();
        h.observe(new float[] {Float.NaN, Float.NaN, Float.NaN});
        assertEquals(0, h.count());
        assertEquals(3, h.nonFiniteCount());
        h.observe(new float[] {0.5f, Float.NaN, 0.25f});
        assertEquals(2, h.count());
        assertEquals(4, h.nonFiniteCount());
        assertEquals(0.25f, h.min());
        assertEquals(0.5f, h.max());
    }

    @Test
    void quantileOfAUniformDistribution() {
        Histogram h = new Histogram();
        float[] v = new float[100_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i / (float) v.length; // uniform on [0, 1)
        }
        h.observe(v);
        assertEquals(0.5, h.quantile(0.5), 1e-3);
        assertEquals(0.99, h.quantile(0.99), 1e-3);
        assertEquals(0.01, h.fractionOutside(0, 0.99), 1e-3);
        assertEquals(0, h.fractionOutside(h.min(), h.max()));
    }

    @Test
    void estimatorsClipOutliersButMinMaxKeepsThem() {
        Histogram h = new Histogram();
        float[] v = gaussian(200_000, 1, 3);
        v[0] = 40f; // one outlier far out
        h.observe(v);
        Range minmax = RangeEstimator.estimate(h, CalibrationMethod.MINMAX, 99.99, 256);
        assertEquals(40, minmax.hi(), 1e-6);
        assertEquals(0, minmax.clippedFraction());
        for (CalibrationMethod m : new CalibrationMethod[] {CalibrationMethod.PERCENTILE, CalibrationMethod.ENTROPY}) {
            Range r = RangeEstimator.estimate(h, m, 99.99, 256);
            assertTrue(r.hi() < 10 && r.hi() > 2.5, m + " upper end " + r.hi());
            assertTrue(r.lo() > -10 && r.lo() < -2.5, m + " lower end " + r.lo());
            assertTrue(r.clippedFraction() > 0 && r.clippedFraction() < 0.01, m + " clipped " + r.clippedFraction());
        }
        // MSE weighs the outlier's clipping error against every other value's rounding error: with one outlier
        // in 200,000 it keeps most of the range (clipping 40 to 8 would cost more than finer rounding saves).
        Range mse = RangeEstimator.estimate(h, CalibrationMethod.MSE, 99.99, 256);
        assertTrue(mse.hi() < 40 && mse.hi() > 20, "MSE upper end " + mse.hi());
        assertTrue(mse.clippedFraction() > 0);
        Histogram many = new Histogram();
        float[] w = gaussian(200_000, 1, 4);
        for (int i = 0; i < 200; i++) {
            w[i] = 40f;
        }
        many.observe(w);
        assertEquals(40, RangeEstimator.estimate(many, CalibrationMethod.MSE, 99.99, 256).hi(), 1e-6,
                "a thousandth of the values at 40 is worth representing");
        Range p = RangeEstimator.estimate(h, CalibrationMethod.PERCENTILE, 99.99, 256);
        assertEquals(3.72, p.hi(), 0.15, "99.99th percentile of a standard normal");
    }

    @Test
    void nonNegativeActivationsKeepZeroAsTheLowerEnd() {
        Histogram h = new Histogram();
        float[] v = gaussian(10_000, 1, 5);
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(0, v[i]); // a ReLU output
        }
        h.observe(v);
        for (CalibrationMethod m : CalibrationMethod.values()) {
            assertEquals(0, RangeEstimator.estimate(h, m, 99.9, 256).lo(), 1e-9, m.toString());
        }
    }
}
