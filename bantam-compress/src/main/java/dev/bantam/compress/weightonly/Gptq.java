package dev.bantam.compress.weightonly;

import dev.bantam.compress.numerics.Cholesky;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * GPTQ (Frantar et al., 2023): the weights of a layer y = x W are rounded one input channel (row of W) at a
 * time, and each row's rounding error is moved into the rows not yet rounded, weighted by the inverse Hessian
 * H = Σ x xᵀ of the layer's inputs, so that the layer's output changes as little as possible.
 *
 * <p>As in the paper: the rows are processed in lazy batches (the error of a batch reaches the later rows in
 * one update), the inverse Hessian enters through its upper Cholesky factor U (Uᵀ U = H⁻¹), H is damped by a
 * fraction of its mean diagonal and damped further when the factorization fails, and inputs that were never
 * non-zero are dropped. With act-order the rows go by decreasing H diagonal; block parameters are then fixed
 * from the original weights before any update ("static groups"), so blocks stay contiguous along the input
 * channels and ONNX Runtime's kernels need no index map. Without act-order each block's parameters come from the
 * weights as updated when the block is reached.
 *
 * <p>U is computed from one Cholesky factorization: with J the exchange matrix and J H J = L Lᵀ, U = J L⁻¹ J.
 * A test holds the result to a plain reference that updates the full inverse after every row.
 */
public final class Gptq {

    /** The quantized weights, the damping added to H's diagonal in all, and the input channels never active. */
    public record Result(BlockQuantized weights, double damping, int deadInputs) {
    }

    private Gptq() {
    }

    /**
     * What GPTQ needs of a layer's inputs, the same for every layer reading them (Q, K and V share theirs): the row
     * order, U, the damping, and which inputs were never active.
     */
    public record Hessian(int k, boolean actOrder, int[] order, double[] upper, double damping, boolean[] dead) {
    }

    /**
     * @param gram         H = Σ x xᵀ over calibration rows, [k][k]
     * @param dampFraction λ = fraction · mean diag(H) added before factorizing (GPTQ's 0.01)
     */
    public static Hessian prepare(double[] gram, int k, boolean actOrder, double dampFraction) {
        double[] h = gram.clone();
        boolean[] dead = new boolean[k];
        for (int i = 0; i < k; i++) {
            if (!(h[i * k + i] > 0)) {
                h[i * k + i] = 1;
                dead[i] = true;
            }
        }
        int[] perm = order(h, k, actOrder);
        double mean = IntStream.range(0, k).mapToDouble(i -> h[i * k + i]).average().orElse(1);
        double lambda = dampFraction * mean;
        double[] reversed = new double[k * k];
        for (int r = 0; r < k; r++) {
            int pr = perm[k - 1 - r] * k;
            for (int s = 0; s < k; s++) {
                reversed[r * k + s] = h[pr + perm[k - 1 - s]] + (r == s ? lambda : 0);
            }
        }
        Cholesky.Result chol = Cholesky.damped(reversed, k, 0.01, 6);
        return new Hessian(k, actOrder, perm, upperOfInverse(chol.lower(), k), lambda + chol.damping(), dead);
    }

    /** {@link #prepare} then {@link #quantize(float[], int, Hessian, BlockFormat, int)}. */
    public static Result quantize(float[] w, int k, int n, double[] gram, BlockFormat f, boolean actOrder,
                                  double dampFraction, int lazy) {
        return quantize(w, n, prepare(gram, k, actOrder, dampFraction), f, lazy);
    }

    /**
     * @param w    the weights [k][n] (row i: input channel i), not modified
     * @param lazy rows per lazy batch (128 in the paper)
     */
    public static Result quantize(float[] w, int n, Hessian hessian, BlockFormat f, int lazy) {
        int k = hessian.k();
        int[] perm = hessian.order();
        double[] wd = new double[k * n];
        int dead = 0;
        for (int i = 0; i < k; i++) {
            if (hessian.dead()[i]) {
                dead++;
                continue;
            }
            for (int c = 0; c < n; c++) {
                wd[i * n + c] = w[i * n + c];
            }
        }
        BlockQuantized q = BlockQuantized.allocate(f, k, n);
        BlockParams[] params = new BlockParams[n * q.blocks()];
        if (hessian.actOrder()) {
            for (int b = 0; b < q.blocks(); b++) {
                fixParams(q, params, wd, n, b);
            }
        }
        double[] wp = new double[k * n];
        for (int r = 0; r < k; r++) {
            System.arraycopy(wd, perm[r] * n, wp, r * n, n);
        }
        rows(q, params, wp, hessian.upper(), perm, k, n, hessian.actOrder(), lazy);
        return new Result(q, hessian.damping(), dead);
    }

    /** Row indices by decreasing H diagonal (ties by index), or the identity. */
    static int[] order(double[] h, int k, boolean actOrder) {
        Integer[] idx = IntStream.range(0, k).boxed().toArray(Integer[]::new);
        if (actOrder) {
            Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> -h[i * k + i]).thenComparingInt(i -> i));
        }
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    /** The GPTQ sweep over the (permuted) rows of {@code wp}, in lazy batches. */
    private static void rows(BlockQuantized q, BlockParams[] params, double[] wp, double[] u, int[] perm, int k, int n,
                             boolean actOrder, int lazy) {
        BlockFormat f = q.format();
        int bs = f.blockSize();
        double[] err = new double[lazy * n];
        for (int i1 = 0; i1 < k; i1 += lazy) {
            int i2 = Math.min(i1 + lazy, k);
            for (int i = i1; i < i2; i++) {
                int orig = perm[i];
                if (!actOrder && orig % bs == 0) {
                    fixParams(q, params, wp, n, orig / bs);
                }
                double d = u[i * k + i];
                int row = i * n;
                int e = (i - i1) * n;
                for (int c = 0; c < n; c++) {
                    BlockParams p = params[c * q.blocks() + orig / bs];
                    int code = p.code(wp[row + c], f.maxCode());
                    q.setCode(c, orig, code);
                    err[e + c] = (wp[row + c] - p.value(code)) / d;
                }
                for (int j = i + 1; j < i2; j++) {
                    axpy(wp, j * n, -u[i * k + j], err, e, n);
                }
            }
            for (int j = i2; j < k; j++) {
                for (int i = i1; i < i2; i++) {
                    axpy(wp, j * n, -u[i * k + j], err, (i - i1) * n, n);
                }
            }
        }
    }

    private static void axpy(double[] y, int yOff, double a, double[] x, int xOff, int n) {
        if (a == 0) {
            return;
        }
        for (int c = 0; c < n; c++) {
            y[yOff + c] += a * x[xOff + c];
        }
    }

    /** Min-max parameters of block b of every column, from the rows of {@code rows} ([k][n], unpermuted). */
    private static void fixParams(BlockQuantized q, BlockParams[] params, double[] rows, int n, int b) {
        BlockFormat f = q.format();
        int from = b * f.blockSize();
        int to = Math.min(q.k(), from + f.blockSize());
        float[] block = new float[to - from];
        for (int c = 0; c < n; c++) {
            for (int i = from; i < to; i++) {
                block[i - from] = (float) rows[i * n + c];
            }
            BlockParams p = BlockParams.minMax(block, 0, block.length, f);
            params[c * q.blocks() + b] = p;
            q.setParams(c, b, p);
        }
    }

    /** U = J L⁻¹ J for the lower factor L of J H J, so Uᵀ U = H⁻¹ with U upper triangular. */
    static double[] upperOfInverse(double[] l, int k) {
        double[] inv = invertLower(l, k);
        double[] u = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                u[i * k + j] = inv[(k - 1 - i) * k + (k - 1 - j)];
            }
        }
        return u;
    }

    /** Columns per panel of {@link #invertLower}: a panel of k rows stays in cache while L streams past it. */
    private static final int PANEL = 64;

    /**
     * L⁻¹ of a lower-triangular L, by forward substitution on panels of {@value #PANEL} columns of the identity:
     * X[i] = (e_i − Σ_{m<i} L[i,m] X[m]) / L[i,i] restricted to the panel. Each entry sees the same operations in
     * the same order as the row-by-row form; the panel keeps them in cache (for K = 3136 the whole inverse is
     * 78 MB).
     */
    static double[] invertLower(double[] l, int k) {
        double[] x = new double[k * k];
        double[] panel = new double[k * PANEL];
        for (int j0 = 0; j0 < k; j0 += PANEL) {
            int w = Math.min(PANEL, k - j0);
            java.util.Arrays.fill(panel, 0);
            for (int i = j0; i < k; i++) {
                int pr = i * PANEL;
                if (i < j0 + w) {
                    panel[pr + i - j0] = 1;
                }
                int lr = i * k;
                for (int m = j0; m < i; m++) {
                    double a = l[lr + m];
                    if (a != 0) {
                        int pm = m * PANEL;
                        for (int c = 0; c < w; c++) {
                            panel[pr + c] -= a * panel[pm + c];
                        }
                    }
                }
                double d = l[lr + i];
                for (int c = 0; c < w; c++) {
                    panel[pr + c] /= d;
                }
                System.arraycopy(panel, pr, x, lr + j0, w);
            }
        }
        return x;
    }
}
