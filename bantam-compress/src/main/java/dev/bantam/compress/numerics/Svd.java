package dev.bantam.compress.numerics;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The thin singular value decomposition A = U Σ Vᵀ of a dense rows×cols matrix in double precision, singular
 * values in descending order, computed with EJML (a dense linear algebra library made for the JVM). Tests
 * compare it with a one-sided Jacobi SVD on ill-conditioned and rank-deficient matrices.
 *
 * @param u     rows×k, row-major
 * @param s     k singular values, descending
 * @param vt    k×cols, row-major
 */
public record Svd(double[] u, double[] s, double[] vt, int rows, int cols) {

    public int rank() {
        return s.length;
    }

    /** The decomposition of {@code a} (row-major, rows×cols); {@code a} is not changed. */
    public static Svd of(double[] a, int rows, int cols) {
        DMatrixRMaj m = DMatrixRMaj.wrap(rows, cols, a.clone());
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(rows, cols, true, true, true);
        if (!svd.decompose(m)) {
            throw new ArithmeticException("the SVD of a " + rows + "x" + cols + " matrix did not converge");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj vt = svd.getV(null, true);
        SingularOps_DDRM.descendingOrder(u, false, w, vt, true);
        int k = Math.min(rows, cols);
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = w.get(i, i);
            if (!Double.isFinite(s[i])) {
                throw new ArithmeticException("the SVD of a " + rows + "x" + cols + " matrix has a non-finite value");
            }
        }
        return new Svd(u.getData(), s, vt.getData(), rows, cols);
    }

    /** The first r columns of U scaled by the first r singular values: rows×r. */
    public double[] leftScaled(int r) {
        int k = rank();
        double[] out = new double[rows * r];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < r; j++) {
                out[i * r + j] = u[i * k + j] * s[j];
            }
        }
        return out;
    }

    /** The first r rows of Vᵀ: r×cols. */
    public double[] rightRows(int r) {
        double[] out = new double[r * cols];
        System.arraycopy(vt, 0, out, 0, r * cols);
        return out;
    }

    /** The smallest r whose singular values keep {@code fraction} of the energy Σσ². */
    public int rankForEnergy(double fraction) {
        double total = 0;
        for (double v : s) {
            total += v * v;
        }
        double kept = 0;
        for (int r = 0; r < s.length; r++) {
            kept += s[r] * s[r];
            if (kept >= fraction * total) {
                return r + 1;
            }
        }
        return s.length;
    }
}
