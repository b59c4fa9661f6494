package dev.bantam.compress.lowrank;

import dev.bantam.compress.numerics.Cholesky;
import dev.bantam.compress.numerics.Svd;

/**
 * The truncated SVD of a weight written as y = x·W (W is K×N), plain or data-aware. Plain: W = U Σ Vᵀ,
 * W ≈ (U_r √Σ_r)(√Σ_r V_rᵀ), the best rank-r approximation of the weight. Data-aware (SVD-LLM): with the
 * input covariance XᵀX = L Lᵀ, ‖X(W − W')‖ = ‖Lᵀ(W − W')‖, so Lᵀ W = U Σ Vᵀ is truncated instead and
 * W' = (L⁻ᵀ U_r √Σ_r)(√Σ_r V_rᵀ): the best rank-r approximation of the layer's output on that data. Either
 * way the discarded singular values measure the error, so the energy kept and the SQNR (of the weight, or of
 * the output on the calibration data) come from the spectrum.
 */
final class Factorization implements Factors {

    private final int k;
    private final int n;
    private final Svd svd;
    private final double[] lower;
    private final double damping;

    private Factorization(int k, int n, Svd svd, double[] lower, double damping) {
        this.k = k;
        this.n = n;
        this.svd = svd;
        this.lower = lower;
        this.damping = damping;
    }

    /**
     * @param w       K×N row-major
     * @param gram    K×K input covariance for the data-aware form, or null
     * @param damping fraction of the covariance's mean diagonal added when it is singular
     */
    static Factorization of(double[] w, int k, int n, double[] gram, double damping) {
        if (gram == null) {
            return new Factorization(k, n, Svd.of(w, k, n), null, 0);
        }
        Cholesky.Result chol = Cholesky.damped(gram, k, damping, 8);
        double[] l = chol.lower();
        double[] ltw = new double[k * n]; // Lᵀ W: row i sums L[p, i] · W[p, :] over p >= i, rows of L read in order
        for (int p = 0; p < k; p++) {
            for (int i = 0; i <= p; i++) {
                double lpi = l[p * k + i];
                if (lpi == 0) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    ltw[i * n + j] += lpi * w[p * n + j];
                }
            }
        }
        return new Factorization(k, n, Svd.of(ltw, k, n), l, chol.damping());
    }

    @Override
    public int fullRank() {
        return svd.rank();
    }

    @Override
    public boolean dataAware() {
        return lower != null;
    }

    @Override
    public double damping() {
        return damping;
    }

    @Override
    public int rankForEnergy(double fraction) {
        return svd.rankForEnergy(fraction);
    }

    @Override
    public double energyKept(int r) {
        double total = 0;
        double kept = 0;
        for (int i = 0; i < svd.s().length; i++) {
            double e = svd.s()[i] * svd.s()[i];
            total += e;
            kept += i < r ? e : 0;
        }
        return total == 0 ? 1 : kept / total;
    }

    /** SQNR (dB) of the rank-r weight (plain) or of the layer's output on the calibration data (data-aware). */
    @Override
    public double sqnrDb(int r) {
        double kept = energyKept(r);
        return 10 * Math.log10(1 / Math.max(1 - kept, 1e-30));
    }

    /** A (K×r) and B (r×N) with A·B the rank-r approximation. */
    @Override
    public double[][] factors(int r) {
        double[] left = svd.leftScaled(r); // U_r Σ_r, K×r
        double[] right = svd.rightRows(r); // V_rᵀ, r×N
        for (int j = 0; j < r; j++) { // split Σ evenly: A = U √Σ, B = √Σ Vᵀ
            double s = svd.s()[j];
            double root = Math.sqrt(s);
            double inv = s == 0 ? 0 : 1 / root;
            for (int i = 0; i < k; i++) {
                left[i * r + j] *= inv;
            }
            for (int c = 0; c < n; c++) {
                right[j * n + c] *= root;
            }
        }
        if (lower != null) {
            left = Cholesky.solveTransposed(lower, k, left, r);
        }
        return new double[][] {left, right};
    }
}
