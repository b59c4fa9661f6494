package dev.bantam.compress.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The least-squares refit against a plain reference: for each output row, the normal equations of the kept features
 * solved by Gaussian elimination with partial pivoting; and on data, the refit reconstructs the original outputs better
 * than dropping the features, as well as the best least-squares fit can.
 */
class RefitTest {

    @Test
    void refitMatchesTheNormalEquations() {
        Random r = new Random(3);
        int n = 200;
        int d = 7;
        int outputs = 3;
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextGaussian();
            }
            row[5] = 0.7 * row[1] + 0.3 * row[2] + 0.05 * r.nextGaussian(); // a removed feature the kept ones predict
        }
        double[] w = new double[outputs * d];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextGaussian();
        }
        boolean[] gone = new boolean[d];
        gone[5] = true;
        gone[6] = true;
        double[] fit = Refit.refitMatrix(w, outputs, d, gram(x), gone, 0.01, new boolean[1]);
        for (int m = 0; m < outputs; m++) {
            double[] ref = normalEquations(x, w, m, gone);
            int k = 0;
            for (int j = 0; j < d; j++) {
                if (!gone[j]) {
                    assertEquals(ref[k++], fit[m * d + j], 1e-9, "output " + m + " feature " + j);
                }
            }
        }
        double before = error(x, w, w, gone, outputs);
        double after = error(x, w, fit, gone, outputs);
        assertTrue(after < 0.7 * before, "refit error " + after + " vs dropped " + before + " (feature 6 is independent of the rest: its part stays lost)");
    }

    /** Two kept features equal (a singular G_KK): damped, finite, and the removed feature still moved onto the others. */
    @Test
    void illConditionedInputsStayFinite() {
        Random r = new Random(5);
        int n = 100;
        int d = 4;
        double[][] x = new double[n][d];
        for (double[] row : x) {
            row[0] = r.nextGaussian();
            row[1] = row[0]; // exactly collinear: G_KK is singular
            row[2] = r.nextGaussian();
            row[3] = row[2] + row[0];
        }
        double[] w = {1, -2, 0.5, 3};
        boolean[] gone = {false, false, false, true};
        boolean[] damped = new boolean[1];
        double[] fit = Refit.refitMatrix(w, 1, d, gram(x), gone, 0.01, damped);
        for (double v : fit) {
            assertFalse(Double.isNaN(v) || Double.isInfinite(v));
        }
        assertTrue(damped[0], "a singular G_KK is damped");
        assertTrue(error(x, w, fit, gone, 1) < 0.01 * error(x, w, w, gone, 1), "the removed feature is x0 + x2: refit "
                + "moves it onto the kept ones");
    }

    private static double[] gram(double[][] x) {
        int d = x[0].length;
        double[] g = new double[d * d];
        for (double[] row : x) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    g[i * d + j] += row[i] * row[j];
                }
            }
        }
        return g;
    }

    /** Mean squared error of the kept-feature outputs of {@code fit} against the full outputs of {@code w}. */
    private static double error(double[][] x, double[] w, double[] fit, boolean[] gone, int outputs) {
        int d = x[0].length;
        double e = 0;
        for (double[] row : x) {
            for (int m = 0; m < outputs; m++) {
                double y = 0;
                double z = 0;
                for (int j = 0; j < d; j++) {
                    y += w[m * d + j] * row[j];
                    z += gone[j] ? 0 : fit[m * d + j] * row[j];
                }
                e += (y - z) * (y - z);
            }
        }
        return e / x.length;
    }

    /** argmin over w' of Σ (w·x − w'·x_K)²: G_KK w' = Σ x_K (w·x), by Gaussian elimination with partial pivoting. */
    private static double[] normalEquations(double[][] x, double[] w, int m, boolean[] gone) {
        int d = x[0].length;
        int[] keep = java.util.stream.IntStream.range(0, d).filter(j -> !gone[j]).toArray();
        int k = keep.length;
        double[][] a = new double[k][k + 1];
        for (double[] row : x) {
            double y = 0;
            for (int j = 0; j < d; j++) {
                y += w[m * d + j] * row[j];
            }
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    a[i][j] += row[keep[i]] * row[keep[j]];
                }
                a[i][k] += row[keep[i]] * y;
            }
        }
        for (int c = 0; c < k; c++) {
            int p = c;
            for (int i = c + 1; i < k; i++) {
                p = Math.abs(a[i][c]) > Math.abs(a[p][c]) ? i : p;
            }
            double[] tmp = a[c];
            a[c] = a[p];
            a[p] = tmp;
            for (int i = 0; i < k; i++) {
                if (i != c) {
                    double f = a[i][c] / a[c][c];
                    for (int j = c; j <= k; j++) {
                        a[i][j] -= f * a[c][j];
                    }
                }
            }
        }
        double[] out = new double[k];
        for (int i = 0; i < k; i++) {
            out[i] = a[i][k] / a[i][i];
        }
        return out;
    }
}
