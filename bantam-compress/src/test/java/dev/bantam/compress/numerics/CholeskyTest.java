package dev.bantam.compress.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cholesky against its definition (L Lᵀ = A), damping for semi-definite Gram matrices, and the triangular solve. */
class CholeskyTest {

    /** XᵀX of a random rows×n X (positive definite when rows >= n and X has full rank). */
    static double[] gram(int rows, int n, long seed, boolean collinear) {
        Random r = new Random(seed);
        double[] x = new double[rows * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        if (collinear) {
            for (int i = 0; i < rows; i++) {
                x[i * n + n - 1] = x[i * n] * 2 - x[i * n + 1]; // the last column depends on the first two
            }
        }
        double[] g = new double[n * n];
        for (int i = 0; i < rows; i++) {
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    g[a * n + b] += x[i * n + a] * x[i * n + b];
                }
            }
        }
        return g;
    }

    /** The textbook algorithm, column by column: the reference the library factorization is held to. */
    static double[] reference(double[] a, int n) {
        double[] l = new double[n * n];
        for (int j = 0; j < n; j++) {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) {
                d -= l[j * n + k] * l[j * n + k];
            }
            double ljj = Math.sqrt(d);
            l[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * n + k] * l[j * n + k];
                }
                l[i * n + j] = s / ljj;
            }
        }
        return l;
    }

    @Test
    void matchesTheTextbookAlgorithmOnWellAndIllConditionedMatrices() {
        for (int n : new int[] {3, 40, 130}) {
            double[] a = gram(n + 2, n, n, false); // barely more rows than columns: ill-conditioned
            double[] fast = Cholesky.lower(a, n);
            double[] ref = reference(a, n);
            double scale = 0;
            for (double v : ref) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < n * n; i++) {
                assertEquals(ref[i], fast[i], 1e-9 * scale, "n=" + n + " entry " + i);
            }
        }
    }

    @Test
    void factorsAPositiveDefiniteMatrix() {
        int n = 9;
        double[] a = gram(40, n, 1, false);
        double[] l = Cholesky.lower(a, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += l[i * n + k] * l[j * n + k];
                }
                assertEquals(a[i * n + j], s, 1e-10 * Math.abs(a[i * n + i]), i + "," + j);
                if (j > i) {
                    assertEquals(0, l[i * n + j]);
                }
            }
        }
        assertEquals(0, Cholesky.damped(a, n, 0.01, 5).damping());
    }

    @Test
    void aSemiDefiniteMatrixIsDamped() {
        int n = 6;
        double[] a = gram(30, n, 2, true);
        assertNull(Cholesky.lower(a, n), "rank-deficient: not positive definite");
        Cholesky.Result r = Cholesky.damped(a, n, 0.01, 6);
        assertTrue(r.damping() > 0);
        double[] zero = new double[n * n];
        assertThrows(ArithmeticException.class, () -> Cholesky.damped(new double[] {-1}, 1, 0.01, 3));
        assertTrue(Cholesky.damped(zero, n, 0.01, 3).damping() > 0, "an all-zero Gram matrix is damped too");
    }

    @Test
    void solvesTheTransposedSystem() {
        int n = 5;
        int m = 3;
        double[] l = Cholesky.lower(gram(20, n, 3, false), n);
        Random r = new Random(4);
        double[] b = new double[n * m];
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextGaussian();
        }
        double[] x = Cholesky.solveTransposed(l, n, b, m);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < m; c++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += l[k * n + i] * x[k * m + c]; // (Lᵀ X)[i, c]
                }
                assertEquals(b[i * m + c], s, 1e-10);
            }
        }
    }
}
