package dev.bantam.compress.lowrank;

import dev.bantam.compress.numerics.Svd;
import dev.bantam.onnx.ir.Tensor;

/**
 * Tucker-2 decomposition of a convolution weight W [M, C, kh, kw] by higher-order SVD (Kim et al., 2016):
 * U_out (M×r₂) and U_in (C×r₁) are the leading left singular vectors of W's output and input unfoldings, and
 * the core G = W ×₁ U_outᵀ ×₂ U_inᵀ is [r₂, r₁, kh, kw]. The layer becomes a 1×1 convolution C → r₁, the k×k
 * core r₁ → r₂, and a 1×1 convolution r₂ → M. Plain (data-free). A rank r means r₁ = min(r, C) and
 * r₂ = min(r, M), so the full rank max(C, M) reproduces the weight exactly.
 */
final class Tucker implements Factors {

    private final int m;
    private final int c;
    private final int kh;
    private final int kw;
    private final float[] w;
    private final Svd out;
    private final Svd in;
    private final double norm;

    private Tucker(Tensor weight) {
        this.m = (int) weight.dim(0);
        this.c = (int) weight.dim(1);
        this.kh = (int) weight.dim(2);
        this.kw = (int) weight.dim(3);
        this.w = weight.toFloatArray();
        int s = kh * kw;
        double[] a1 = new double[m * c * s]; // rows: output channels
        double[] a2 = new double[c * m * s]; // rows: input channels
        double n = 0;
        for (int o = 0; o < m; o++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < s; p++) {
                    double v = w[(o * c + ch) * s + p];
                    a1[o * (c * s) + ch * s + p] = v;
                    a2[ch * (m * s) + o * s + p] = v;
                    n += v * v;
                }
            }
        }
        this.out = Svd.of(a1, m, c * s);
        this.in = Svd.of(a2, c, m * s);
        this.norm = n;
    }

    static Tucker of(Tensor weight) {
        return new Tucker(weight);
    }

    @Override
    public int fullRank() {
        return Math.max(m, c);
    }

    static int inRank(int r, int c) {
        return Math.min(r, c);
    }

    static int outRank(int r, int m) {
        return Math.min(r, m);
    }

    @Override
    public boolean dataAware() {
        return false;
    }

    @Override
    public double damping() {
        return 0;
    }

    /** The larger of the ranks keeping the fraction of each unfolding's energy. */
    @Override
    public int rankForEnergy(double fraction) {
        return Math.max(out.rankForEnergy(fraction), in.rankForEnergy(fraction));
    }

    @Override
    public double energyKept(int r) {
        double e = error(r);
        return norm == 0 ? 1 : 1 - e / norm;
    }

    @Override
    public double sqnrDb(int r) {
        return 10 * Math.log10(Math.max(norm, 1e-30) / Math.max(error(r), 1e-30));
    }

    /** ‖W − W'‖²: computed from the reconstruction, since HOSVD's error is not a tail of one spectrum. */
    private double error(int r) {
        double[][] f = factors(r);
        double[] uin = f[0];
        double[] core = f[1];
        double[] uout = f[2];
        int r1 = inRank(r, c);
        int r2 = outRank(r, m);
        int s = kh * kw;
        double e = 0;
        for (int o = 0; o < m; o++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < s; p++) {
                    double v = 0;
                    for (int a = 0; a < r2; a++) {
                        double ua = uout[o * r2 + a];
                        for (int b = 0; b < r1; b++) {
                            v += ua * core[(a * r1 + b) * s + p] * uin[ch * r1 + b];
                        }
                    }
                    double d = v - w[(o * c + ch) * s + p];
                    e += d * d;
                }
            }
        }
        return e;
    }

    /** U_in (C×r₁), the core (r₂×r₁×kh×kw) and U_out (M×r₂). */
    @Override
    public double[][] factors(int r) {
        int r1 = inRank(r, c);
        int r2 = outRank(r, m);
        int s = kh * kw;
        double[] uin = columns(in, c, r1);
        double[] uout = columns(out, m, r2);
        double[] mid = new double[r2 * c * s]; // W ×₁ U_outᵀ: [r₂, C, s]
        for (int a = 0; a < r2; a++) {
            for (int o = 0; o < m; o++) {
                double u = uout[o * r2 + a];
                for (int q = 0; q < c * s; q++) {
                    mid[a * c * s + q] += u * w[o * c * s + q];
                }
            }
        }
        double[] core = new double[r2 * r1 * s]; // ×₂ U_inᵀ: [r₂, r₁, s]
        for (int a = 0; a < r2; a++) {
            for (int ch = 0; ch < c; ch++) {
                for (int b = 0; b < r1; b++) {
                    double u = uin[ch * r1 + b];
                    for (int p = 0; p < s; p++) {
                        core[(a * r1 + b) * s + p] += u * mid[(a * c + ch) * s + p];
                    }
                }
            }
        }
        return new double[][] {uin, core, uout};
    }

    private static double[] columns(Svd svd, int rows, int r) {
        double[] u = new double[rows * r];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(svd.u(), i * svd.rank(), u, i * r, r);
        }
        return u;
    }
}
