package dev.bantam.compress.numerics;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * Cholesky factorization A = L Lᵀ of a symmetric positive-definite matrix, in double precision. A Gram matrix
 * from calibration data is often only semi-definite (dead channels, collinear inputs), so {@link #damped}
 * adds λ·I, starting from a fraction of the mean diagonal and growing tenfold until the factorization
 * succeeds, the way GPTQ and SVD-LLM damp their Hessians.
 */
public final class Cholesky {

    /** The factor and the damping that was needed (0 when none). */
    public record Result(double[] lower, int n, double damping) {
    }

    private Cholesky() {
    }

    /**
     * L (row-major, n×n, zeros above the diagonal), or null when A is not positive definite. Computed with EJML's
     * blocked factorization; a test holds it to the textbook algorithm.
     */
    public static double[] lower(double[] a, int n) {
        DMatrixRMaj m = DMatrixRMaj.wrap(n, n, a.clone());
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
        if (!chol.decompose(m)) {
            return null;
        }
        double[] l = chol.getT(null).getData();
        for (double v : l) {
            if (!Double.isFinite(v)) {
                return null;
            }
        }
        for (int i = 0; i < n; i++) {
            if (!(l[i * n + i] > 0)) {
                return null;
            }
        }
        return l;
    }

    /**
     * Factors A + λI with the smallest λ of {0, f·m, 10·f·m, 100·f·m, ...} (m the mean of A's diagonal) that
     * succeeds, trying at most {@code tries} values after 0.
     *
     * @throws ArithmeticException when no damping up to the last try makes it positive definite
     */
    public static Result damped(double[] a, int n, double fraction, int tries) {
        double[] l = lower(a, n);
        if (l != null) {
            return new Result(l, n, 0);
        }
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += a[i * n + i];
        }
        mean = Math.max(mean / n, Double.MIN_NORMAL);
        double lambda = fraction * mean;
        for (int t = 0; t < tries; t++, lambda *= 10) {
            double[] b = a.clone();
            for (int i = 0; i < n; i++) {
                b[i * n + i] += lambda;
            }
            l = lower(b, n);
            if (l != null) {
                return new Result(l, n, lambda);
            }
        }
        throw new ArithmeticException("the matrix is not positive definite even with damping " + lambda / 10);
    }

    /**
     * Solves Lᵀ X = B for X (B and X n×m, row-major), L lower triangular: back substitution, row by row
     * (X[i] = (B[i] − Σ_{k>i} L[k,i]·X[k]) / L[i,i]), so the inner loop runs along rows of X.
     */
    public static double[] solveTransposed(double[] l, int n, double[] b, int m) {
        double[] x = b.clone();
        for (int i = n - 1; i >= 0; i--) {
            int row = i * m;
            for (int k = i + 1; k < n; k++) {
                double lki = l[k * n + i];
                if (lki == 0) {
                    continue;
                }
                int other = k * m;
                for (int c = 0; c < m; c++) {
                    x[row + c] -= lki * x[other + c];
                }
            }
            double lii = l[i * n + i];
            for (int c = 0; c < m; c++) {
                x[row + c] /= lii;
            }
        }
        return x;
    }
}
