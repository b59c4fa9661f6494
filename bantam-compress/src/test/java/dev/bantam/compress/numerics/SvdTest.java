package dev.bantam.compress.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The SVD against the Jacobi reference and against its own definition (A = U Σ Vᵀ, orthonormal factors), on
 * random, ill-conditioned, rank-deficient and wide matrices.
 */
class SvdTest {

    /** A rows×cols matrix with the given singular values (random orthonormal factors). */
    static double[] withSingularValues(int rows, int cols, double[] sigma, long seed) {
        double[] u = orthonormal(rows, sigma.length, seed);
        double[] v = orthonormal(cols, sigma.length, seed + 1);
        double[] a = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int k = 0; k < sigma.length; k++) {
                    s += u[i * sigma.length + k] * sigma[k] * v[j * sigma.length + k];
                }
                a[i * cols + j] = s;
            }
        }
        return a;
    }

    /** n×k with orthonormal columns (Gram-Schmidt of Gaussian columns, twice). */
    static double[] orthonormal(int n, int k, long seed) {
        Random r = new Random(seed);
        double[] q = new double[n * k];
        for (int i = 0; i < q.length; i++) {
            q[i] = r.nextGaussian();
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int j = 0; j < k; j++) {
                for (int p = 0; p < j; p++) {
                    double d = 0;
                    for (int i = 0; i < n; i++) {
                        d += q[i * k + j] * q[i * k + p];
                    }
                    for (int i = 0; i < n; i++) {
                        q[i * k + j] -= d * q[i * k + p];
                    }
                }
                double norm = 0;
                for (int i = 0; i < n; i++) {
                    norm += q[i * k + j] * q[i * k + j];
                }
                for (int i = 0; i < n; i++) {
                    q[i * k + j] /= Math.sqrt(norm);
                }
            }
        }
        return q;
    }

    private static void check(double[] a, int rows, int cols, double tol) {
        Svd svd = Svd.of(a, rows, cols);
        int k = svd.rank();
        assertEquals(Math.min(rows, cols), k);
        double[] ref = JacobiSvd.singularValues(a, rows, cols);
        double top = ref[0];
        for (int i = 0; i < k; i++) {
            assertEquals(ref[i], svd.s()[i], tol * top, "σ" + i);
            assertTrue(i == 0 || svd.s()[i] <= svd.s()[i - 1], "descending");
        }
        double[] us = svd.leftScaled(k);
        double[] vt = svd.rightRows(k);
        double err = 0;
        double norm = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += us[i * k + p] * vt[p * cols + j];
                }
                err = Math.max(err, Math.abs(s - a[i * cols + j]));
                norm = Math.max(norm, Math.abs(a[i * cols + j]));
            }
        }
        assertTrue(err <= tol * Math.max(norm, 1e-300) * 10, "reconstruction error " + err);
        for (int p = 0; p < k; p++) {
            for (int q = p; q < k; q++) {
                double d = 0;
                for (int j = 0; j < cols; j++) {
                    d += vt[p * cols + j] * vt[q * cols + j];
                }
                assertEquals(p == q ? 1 : 0, d, 1e-9, "Vᵀ rows orthonormal");
            }
        }
    }

    @Test
    void randomTallAndWide() {
        Random r = new Random(1);
        double[] a = new double[40 * 17];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        check(a, 40, 17, 1e-11);
        check(a, 17, 40, 1e-11);
    }

    @Test
    void illConditioned() {
        double[] sigma = new double[12];
        for (int i = 0; i < sigma.length; i++) {
            sigma[i] = Math.pow(10, -i); // condition number 1e11
        }
        check(withSingularValues(30, 12, sigma, 3), 30, 12, 1e-11);
    }

    @Test
    void rankDeficient() {
        double[] sigma = {5, 3, 1, 0, 0, 0};
        double[] a = withSingularValues(20, 6, sigma, 5);
        check(a, 20, 6, 1e-11);
        Svd svd = Svd.of(a, 20, 6);
        assertEquals(3, svd.rankForEnergy(1.0 - 1e-12), "three singular values carry all the energy");
        assertEquals(1, svd.rankForEnergy(0.5));
    }
}
