package dev.bantam.compress.numerics;

/**
 * The simple reference SVD: one-sided Jacobi (Hestenes) rotations of the columns of A until every pair is
 * orthogonal; singular values are the column norms. Slow, but short enough to be checked by reading.
 */
final class JacobiSvd {

    private JacobiSvd() {
    }

    /** Singular values of the rows×cols matrix a, descending. */
    static double[] singularValues(double[] a, int rows, int cols) {
        if (rows < cols) {
            double[] t = new double[a.length];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    t[j * rows + i] = a[i * cols + j];
                }
            }
            return singularValues(t, cols, rows);
        }
        double[] u = a.clone();
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < cols - 1; p++) {
                for (int q = p + 1; q < cols; q++) {
                    double alpha = 0, beta = 0, gamma = 0;
                    for (int i = 0; i < rows; i++) {
                        double up = u[i * cols + p];
                        double uq = u[i * cols + q];
                        alpha += up * up;
                        beta += uq * uq;
                        gamma += up * uq;
                    }
                    if (gamma == 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) {
                        continue;
                    }
                    off = Math.max(off, Math.abs(gamma) / Math.sqrt(alpha * beta));
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    if (zeta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(1 + t * t);
                    double s = c * t;
                    for (int i = 0; i < rows; i++) {
                        double up = u[i * cols + p];
                        double uq = u[i * cols + q];
                        u[i * cols + p] = c * up - s * uq;
                        u[i * cols + q] = s * up + c * uq;
                    }
                }
            }
            if (off < 1e-15) {
                break;
            }
        }
        double[] s = new double[cols];
        for (int j = 0; j < cols; j++) {
            double n = 0;
            for (int i = 0; i < rows; i++) {
                n += u[i * cols + j] * u[i * cols + j];
            }
            s[j] = Math.sqrt(n);
        }
        java.util.Arrays.sort(s);
        for (int i = 0; i < cols / 2; i++) {
            double t = s[i];
            s[i] = s[cols - 1 - i];
            s[cols - 1 - i] = t;
        }
        return s;
    }
}
