package dev.bantam.compress.weightonly;

import java.util.List;
import java.util.stream.IntStream;

/**
 * AWQ (Lin et al., 2024), the numerics: the weights of the layers reading one input x are scaled up on the input
 * channels where x is large (x·W = (x / s)·(s·W)), so those channels' weights lose less to rounding, and each
 * block's range is then clipped where that lowers the block's output error.
 *
 * <p>As in the paper, s = m^α with m a per-channel magnitude of x, normalised by √(max·min), α searched on a grid
 * of 20 from 0 (plain RTN) to 0.95, and the clip ratio per block searched from 1 down to 0.525 in steps of 0.025.
 * Two departures, both because the technique context already gives each input's Gram matrix H = Σ x xᵀ (GPTQ's
 * statistic): m is the root mean square of each channel (H's diagonal) rather than its mean absolute value, and
 * the losses are measured exactly on every calibration row through H (α: Σ dᵀHd over the group's columns; clip:
 * the block's dᵀ H_bb d) rather than on a sample of rows run through the layer.
 */
final class Awq {

    /** α steps: 0, 1/20, …, 19/20. */
    static final int GRID = 20;
    /** Clip ratios 1, 0.975, …, 0.525. */
    static final int CLIP_STEPS = 20;
    private static final double CLIP_STEP = 0.025;

    /** The chosen per-channel scales, their α, and the group's output error at α = 0 (RTN) and at α. */
    record Scaling(double alpha, float[] s, double rtnLoss, double loss) {
    }

    private Awq() {
    }

    /**
     * Searches α for the layers reading one input.
     *
     * @param h      the input's Gram matrix, [k][k]
     * @param layers each layer's weights in row form, [k][n_l]
     * @param ns     each layer's n_l
     */
    static Scaling search(double[] h, int k, List<float[]> layers, List<Integer> ns, BlockFormat f) {
        double[] m = magnitudes(h, k);
        Scaling best = null;
        double rtn = 0;
        for (int step = 0; step < GRID; step++) {
            double alpha = (double) step / GRID;
            float[] s = scales(m, alpha);
            double loss = 0;
            for (int l = 0; l < layers.size(); l++) {
                loss += OutputError.of(h, k, scaledError(layers.get(l), k, ns.get(l), s, f), ns.get(l));
            }
            if (step == 0) {
                rtn = loss;
            }
            if (best == null || loss < best.loss()) {
                best = new Scaling(alpha, s, rtn, loss);
            }
        }
        return new Scaling(best.alpha(), best.s(), rtn, best.loss());
    }

    /** √(H_ii / max H_jj), floored at 1e-4 so that a channel never active still gets a finite scale. */
    static double[] magnitudes(double[] h, int k) {
        double max = 0;
        for (int i = 0; i < k; i++) {
            max = Math.max(max, h[i * k + i]);
        }
        double[] m = new double[k];
        for (int i = 0; i < k; i++) {
            m[i] = max > 0 ? Math.max(1e-4, Math.sqrt(Math.max(0, h[i * k + i]) / max)) : 1;
        }
        return m;
    }

    /** m^α normalised by √(max · min), as float (the values written into the graph). */
    static float[] scales(double[] m, double alpha) {
        double[] s = new double[m.length];
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (int i = 0; i < m.length; i++) {
            s[i] = Math.pow(m[i], alpha);
            lo = Math.min(lo, s[i]);
            hi = Math.max(hi, s[i]);
        }
        double norm = Math.sqrt(lo * hi);
        float[] out = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = (float) (s[i] / norm);
        }
        return out;
    }

    /** W − RTN(s·W)/s in row form: the weight change x·W sees when the layer is scaled by s and rounded. */
    private static float[] scaledError(float[] rows, int k, int n, float[] s, BlockFormat f) {
        float[] columns = new float[k * n];
        for (int i = 0; i < k; i++) {
            for (int c = 0; c < n; c++) {
                columns[c * k + i] = rows[i * n + c] * s[i];
            }
        }
        float[] q = DataFree.quantize(columns, k, n, f, false).columns();
        float[] d = new float[k * n];
        for (int i = 0; i < k; i++) {
            for (int c = 0; c < n; c++) {
                d[i * n + c] = (float) (rows[i * n + c] - (double) q[c * k + i] / s[i]);
            }
        }
        return d;
    }

    /**
     * Rounds {@code columns} ([n][k]) block by block, each block's range clipped by the ratio with the lowest
     * output error dᵀ H_bb d on its own inputs' Gram block (ties: the wider range).
     */
    static BlockQuantized roundClipped(float[] columns, int k, int n, BlockFormat f, double[] h) {
        BlockQuantized q = BlockQuantized.allocate(f, k, n);
        int bs = f.blockSize();
        IntStream.range(0, n).parallel().forEach(c -> {
            double[] d = new double[bs];
            for (int b = 0; b < q.blocks(); b++) {
                int from = c * k + b * bs;
                int to = c * k + Math.min(k, (b + 1) * bs);
                BlockParams best = null;
                double bestError = Double.MAX_VALUE;
                for (int step = 0; step < CLIP_STEPS; step++) {
                    BlockParams p = BlockParams.clipped(columns, from, to, f, 1 - step * CLIP_STEP);
                    double e = blockError(columns, from, to, p, f, h, k, b * bs, d);
                    if (e < bestError) {
                        best = p;
                        bestError = e;
                    }
                }
                q.setParams(c, b, best);
                for (int i = from; i < to; i++) {
                    q.setCode(c, i - c * k, best.code(columns[i], f.maxCode()));
                }
            }
        });
        return q;
    }

    /** dᵀ H_bb d for the block w[from, to) whose first input channel is {@code i0}. */
    private static double blockError(float[] w, int from, int to, BlockParams p, BlockFormat f, double[] h, int k,
                                     int i0, double[] d) {
        int len = to - from;
        for (int i = 0; i < len; i++) {
            d[i] = w[from + i] - p.value(p.code(w[from + i], f.maxCode()));
        }
        double e = 0;
        for (int i = 0; i < len; i++) {
            int row = (i0 + i) * k + i0;
            double hd = 0;
            for (int j = 0; j < len; j++) {
                hd += h[row + j] * d[j];
            }
            e += d[i] * hd;
        }
        return e;
    }

    /** H of x / s: S⁻¹ H S⁻¹. */
    static double[] scaledGram(double[] h, int k, float[] s) {
        double[] out = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                out[i * k + j] = h[i * k + j] / ((double) s[i] * s[j]);
            }
        }
        return out;
    }
}
