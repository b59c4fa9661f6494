package dev.bantam.compress.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Magnitudes by binary exponent: counts against a plain count, and parts merged into the one-pass result. */
class MagnitudeHistogramTest {

    @Test
    void countsBelowAPowerOfTwoAndTheLargestMagnitudeMergeExactly() {
        Random r = new Random(3);
        float[] v = new float[10_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 17 == 0 ? 0f : (float) (r.nextGaussian() * Math.pow(2, r.nextInt(40) - 30));
        }
        v[5] = -70000f;
        v[6] = Float.NaN;
        v[7] = Float.MIN_VALUE;
        MagnitudeHistogram whole = new MagnitudeHistogram();
        whole.observe(new long[] {v.length}, FloatBuffer.wrap(v));
        MagnitudeHistogram a = new MagnitudeHistogram();
        MagnitudeHistogram b = new MagnitudeHistogram();
        a.observe(new long[] {3000}, FloatBuffer.wrap(v, 0, 3000).slice());
        b.observe(new long[] {7000}, FloatBuffer.wrap(v, 3000, 7000).slice());
        b.merge(a);
        long below = 0;
        long nonZero = 0;
        for (float x : v) {
            if (x != 0 && Float.isFinite(x)) {
                nonZero++;
                below += Math.abs(x) < 0x1p-14f ? 1 : 0;
            }
        }
        for (MagnitudeHistogram h : new MagnitudeHistogram[] {whole, b}) {
            assertEquals(70000f, h.maxAbs());
            assertEquals(1, h.nonFinite());
            assertEquals(nonZero, h.nonZero());
            assertEquals(below, h.countBelow(-14));
            assertEquals((double) below / nonZero, h.fractionBelow(-14));
            assertEquals(1, h.countBelow(-126), "the float32 subnormal");
        }
    }
}
