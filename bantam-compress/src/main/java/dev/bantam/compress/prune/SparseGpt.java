package dev.bantam.compress.prune;

import dev.bantam.compress.weightonly.Gptq;

/**
 * SparseGPT on a [K][N] weight (K inputs, N outputs) with H = Σ x xᵀ over the layer's calibration inputs. Inputs are
 * visited in order in blocks; at the start of each block (unstructured) or of each group of M inputs (N:M) every
 * output's mask is chosen among the block's inputs by w²/U_ii², U the upper Cholesky factor of H⁻¹ (Uᵀ U = H⁻¹);
 * then input by input each zeroed weight's error w/U_ii is spread over the inputs not yet visited (w_j −= U_ij·err),
 * inside the block at once and beyond it lazily, as GPTQ does for rounding errors. H is damped as GPTQ damps it, and
 * {@link Gptq#prepare} gives U.
 */
final class SparseGpt {

    private SparseGpt() {
    }

    /**
     * Prunes {@code w} in place.
     *
     * @param keep, m an N:M pattern (keep of every m), or 0, 0 for unstructured at {@code sparsity}
     * @return how many weights were set to zero
     */
    static long prune(double[] w, int k, int n, double[] gram, double sparsity, int keep, int m, int block,
                      double damping) {
        Gptq.Hessian h = Gptq.prepare(gram, k, false, damping);
        double[] u = h.upper();
        int bs = m > 0 ? Math.max(m, block / m * m) : block;
        boolean[] mask = new boolean[bs * n];
        double[] err = new double[bs * n];
        long dropped = 0;
        for (int i1 = 0; i1 < k; i1 += bs) {
            int i2 = Math.min(i1 + bs, k);
            java.util.Arrays.fill(mask, false);
            if (m == 0) {
                chooseBlock(w, u, k, n, i1, i2, sparsity, mask);
            }
            for (int i = i1; i < i2; i++) {
                if (m > 0 && (i - i1) % m == 0) {
                    chooseGroup(w, u, k, n, i, Math.min(i + m, i2), keep, mask, i1);
                }
                double d = u[i * k + i];
                int row = i * n;
                int e = (i - i1) * n;
                for (int c = 0; c < n; c++) {
                    if (mask[e + c]) {
                        err[e + c] = w[row + c] / d;
                        w[row + c] = 0;
                        dropped++;
                    } else {
                        err[e + c] = 0;
                    }
                }
                for (int j = i + 1; j < i2; j++) {
                    axpy(w, j * n, -u[i * k + j], err, e, n);
                }
            }
            for (int j = i2; j < k; j++) {
                for (int i = i1; i < i2; i++) {
                    axpy(w, j * n, -u[i * k + j], err, (i - i1) * n, n);
                }
            }
        }
        return dropped;
    }

    /** Unstructured: for every output, the {@code floor(sparsity · block)} inputs of the block with the lowest w²/U_ii². */
    private static void chooseBlock(double[] w, double[] u, int k, int n, int i1, int i2, double sparsity, boolean[] mask) {
        int size = i2 - i1;
        int drop = (int) Math.floor(sparsity * size + 1e-9);
        double[] score = scores(w, u, k, n, i1, i2);
        for (int c = 0; c < n; c++) {
            int[] order = SparseMasks.lowestFirst(score, c, n, size);
            for (int r = 0; r < drop; r++) {
                mask[order[r] * n + c] = true;
            }
        }
    }

    /** N:M: for every output, all but the {@code keep} highest w²/U_ii² of inputs [g1, g2). */
    private static void chooseGroup(double[] w, double[] u, int k, int n, int g1, int g2, int keep, boolean[] mask,
                                    int blockStart) {
        double[] score = scores(w, u, k, n, g1, g2);
        int size = g2 - g1;
        for (int c = 0; c < n; c++) {
            int[] order = SparseMasks.lowestFirst(score, c, n, size);
            for (int r = 0; r < size - Math.min(keep, size); r++) {
                mask[(g1 - blockStart + order[r]) * n + c] = true;
            }
        }
    }

    private static double[] scores(double[] w, double[] u, int k, int n, int i1, int i2) {
        double[] s = new double[(i2 - i1) * n];
        for (int i = i1; i < i2; i++) {
            double d = u[i * k + i];
            for (int c = 0; c < n; c++) {
                double x = w[i * n + c] / d;
                s[(i - i1) * n + c] = x * x;
            }
        }
        return s;
    }

    private static void axpy(double[] y, int yOff, double a, double[] x, int xOff, int n) {
        if (a == 0) {
            return;
        }
        for (int c = 0; c < n; c++) {
            y[yOff + c] += a * x[xOff + c];
        }
    }
}
