package dev.bantam.compress.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Gram matrix against the simple reference, the exact sum of every product (BigDecimal), on well-conditioned
 * data, on nearly collinear rows (an ill-conditioned XᵀX), on a rank-deficient one, and across a huge range of
 * magnitudes. The error stays within the bound of summing each item in double: a few ulps of Σ|xᵢxⱼ|.
 */
class GramMatrixTest {

    private static void assertMatchesExact(float[] x, int items, int rows, int k) {
        GramMatrix g = new GramMatrix(-1);
        g.observe(new long[] {items, rows, k}, FloatBuffer.wrap(x));
        double[] m = g.matrix();
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                BigDecimal exact = BigDecimal.ZERO;
                double abs = 0;
                for (int r = 0; r < items * rows; r++) {
                    double p = (double) x[r * k + i] * x[r * k + j]; // exact: float times float fits a double
                    exact = exact.add(new BigDecimal(p));
                    abs += Math.abs(p);
                }
                double err = Math.abs(new BigDecimal(m[i * k + j]).subtract(exact).doubleValue());
                assertTrue(err <= 1e-13 * abs + 1e-18, "entry " + i + "," + j + ": " + m[i * k + j] + " vs "
                        + exact.round(MathContext.DECIMAL64) + " (bound " + 1e-13 * abs + ")");
                assertEquals(m[i * k + j], m[j * k + i], "symmetric");
            }
        }
        assertEquals((long) items * rows, g.rows());
    }

    @Test
    void wellConditioned() {
        Random r = new Random(1);
        float[] x = new float[3 * 7 * 6];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        assertMatchesExact(x, 3, 7, 6);
    }

    @Test
    void nearlyCollinearRowsAndARankDeficientMatrix() {
        Random r = new Random(2);
        int k = 5;
        float[] x = new float[4 * 9 * k];
        for (int row = 0; row < 36; row++) {
            float base = (float) r.nextGaussian();
            for (int c = 0; c < k; c++) {
                // channels 0-2 nearly identical (condition number ~1e12), 3 and 4 exactly proportional (rank-deficient)
                x[row * k + c] = c < 3 ? base + (float) (1e-6 * r.nextGaussian()) : c == 3 ? base * 2 : base * -4;
            }
        }
        assertMatchesExact(x, 4, 9, k);
    }

    @Test
    void hugeAndTinyMagnitudesTogether() {
        Random r = new Random(3);
        int k = 4;
        float[] x = new float[2 * 8 * k];
        for (int i = 0; i < x.length; i++) {
            double scale = switch (i % k) {
                case 0 -> 1e6;
                case 1 -> 1e-6;
                case 2 -> 1;
                default -> 1e3;
            };
            x[i] = (float) (r.nextGaussian() * scale);
        }
        assertMatchesExact(x, 2, 8, k);
    }

    @Test
    void theTiledPathEqualsTheSimpleReferenceToTheBit() {
        Random r = new Random(9);
        int items = 3;
        int rows = 5;
        int k = 150; // wider than one tile, not a multiple of it
        float[] x = new float[items * rows * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 7 == 0 ? 0 : (float) (r.nextGaussian() * Math.pow(10, r.nextInt(5) - 2));
        }
        GramMatrix tiled = new GramMatrix(-1);
        tiled.observe(new long[] {items, rows, k}, FloatBuffer.wrap(x));
        GramMatrix reference = new GramMatrix(-1);
        float[][][] split = new float[items][rows][k];
        for (int i = 0; i < items; i++) {
            for (int j = 0; j < rows; j++) {
                System.arraycopy(x, (i * rows + j) * k, split[i][j], 0, k);
            }
        }
        reference.observe(new long[] {1, 1, k}, FloatBuffer.wrap(new float[k])); // one zero row sizes the sums
        reference.addSimple(split);
        assertTrue(java.util.Arrays.equals(tiled.matrix(), reference.matrix()), "bit for bit");
        assertEquals(tiled.rows() + 1, reference.rows());
    }

    @Test
    void rowsWithANonFiniteValueAreSkippedAndCounted() {
        float[] x = {1, 2, Float.NaN, 1, 3, 4};
        GramMatrix g = new GramMatrix(-1);
        g.observe(new long[] {1, 3, 2}, FloatBuffer.wrap(x));
        assertEquals(2, g.rows());
        assertEquals(1, g.skippedRows());
        assertEquals(1 + 9, g.matrix()[0]);
        assertEquals(2 + 12, g.matrix()[1]);
    }
}
