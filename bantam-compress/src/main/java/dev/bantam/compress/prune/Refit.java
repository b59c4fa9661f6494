package dev.bantam.compress.prune;

import dev.bantam.compress.CalibrationSettings;
import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.numerics.Cholesky;
import dev.bantam.compress.stats.ActivationStatistics;
import dev.bantam.compress.stats.PatchGram;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Recovery without training: each layer that reads removed channels gets the weights on the channels it keeps
 * refit by least squares, so that on calibration data it reproduces its original output (ThiNet, AIMET's channel
 * pruning with reconstruction). With x the layer's input features (a Gemm's or MatMul's input vector, a
 * convolution's input patch of C·kh·kw values), G = Σ x xᵀ over the calibration data, K the features kept and R
 * those removed, the best weights on K are {@code W'_K = W_K + W_R G_RK G_KK⁻¹}: what the removed features carried,
 * as far as the kept ones predict it. G_KK is damped (a fraction of its mean diagonal) when it is singular (dead
 * channels). Statistics come from the unpruned model, in one calibration run.
 */
final class Refit {

    private Refit() {
    }

    /** A layer to refit: the node, the weight axis of its input features, and the feature positions removed. */
    private record Reader(Node node, int axis, TreeSet<Long> removed, PatchGram.Geometry geometry) {
    }

    /**
     * Refits, in place and before the surgery, every layer that reads channels about to be removed.
     *
     * @return one note per run (how many layers, on how many items, how many needed damping)
     */
    static List<String> apply(dev.bantam.onnx.ir.Model model, Map<ChannelSpace, TreeSet<Long>> removed,
                              CompressionContext context, CalibrationSettings calibration, double damping, boolean bias) {
        if (readers(removed).isEmpty()) {
            return List.of();
        }
        return apply(model, removed, collect(model, removed.keySet(), context, calibration), damping, bias);
    }

    /**
     * The input Gram matrices of every layer reading channels of {@code spaces}, from one calibration run: enough to
     * refit any removal from these spaces (the statistics are of the unpruned model, by value name, so they serve
     * copies of it too).
     */
    static ActivationStatistics collect(dev.bantam.onnx.ir.Model model, java.util.Collection<ChannelSpace> spaces,
                                        CompressionContext context, CalibrationSettings calibration) {
        ActivationStatistics request = new ActivationStatistics();
        for (ChannelSpace s : spaces) {
            for (Slot slot : s.slots()) {
                Node n = slot.node();
                if (slot.producer() || slot.input() != 1) {
                    continue;
                }
                PatchGram.Geometry geo = n.isStandard("Conv")
                        ? PatchGram.Geometry.of(n, n.input(1).constantValue().orElseThrow()) : null;
                if (n.isStandard("Conv") && geo == null) {
                    continue;
                }
                if (geo == null) {
                    request.withGram(n.input(0).name(), -1);
                } else {
                    request.withPatchGram(n.input(0).name(), geo);
                }
                request.withChannelMoments(n.input(0).name(), geo == null ? -1 : 1); // for the bias

            }
        }
        return context.collect(model, request, calibration);
    }

    /** Refits with statistics {@link #collect} gathered. */
    static List<String> apply(dev.bantam.onnx.ir.Model model, Map<ChannelSpace, TreeSet<Long>> removed,
                              ActivationStatistics stats, double damping, boolean bias) {
        return apply(model, removed, stats, damping, bias, new java.util.HashMap<>());
    }

    /**
     * Refits with statistics {@link #collect} gathered, reusing the refit weights of {@code cache} (by weight name and
     * the positions removed from it): a search that builds many copies of one model with mostly the same removals
     * solves each layer's least squares once per removal.
     */
    static List<String> apply(dev.bantam.onnx.ir.Model model, Map<ChannelSpace, TreeSet<Long>> removed,
                              ActivationStatistics stats, double damping, boolean bias, Map<String, float[]> cache) {
        Graph g = model.graph();
        List<Reader> readers = readers(removed);
        int damped = 0;
        int biased = 0;
        for (Reader r : readers) {
            String x = r.node().input(0).name();
            String key = r.node().input(1).name() + " " + r.removed();
            float[] fit = cache.get(key);
            if (fit == null) {
                double[] gram = r.geometry() == null ? stats.gram(x).matrix() : stats.patchGram(x, r.geometry()).matrix();
                boolean[] wasDamped = new boolean[1];
                fit = refit(r, gram, damping, wasDamped);
                damped += wasDamped[0] ? 1 : 0;
                cache.put(key, fit);
            }
            biased += write(g, r, fit, bias ? stats.channelMoments(x).mean() : null) ? 1 : 0;
        }
        return List.of(String.format(java.util.Locale.ROOT, "refit %d layers by least squares on %d calibration items%s%s",
                readers.size(), stats.items(), damped == 0 ? "" : " (" + damped + " with damping)", bias ? "; " + biased
                        + " biases compensated for the mean the removed channels carried" : ""));
    }

    private static List<Reader> readers(Map<ChannelSpace, TreeSet<Long>> removed) {
        Map<Node, Reader> out = new LinkedHashMap<>();
        for (Map.Entry<ChannelRemoval.Cut, Map<Integer, TreeSet<Long>>> e : ChannelRemoval.positions(removed, true)
                .entrySet()) {
            Node n = e.getKey().node();
            if (e.getKey().input() != 1 || e.getValue().size() != 1) {
                continue;
            }
            int axis = e.getValue().keySet().iterator().next();
            PatchGram.Geometry geo = null;
            if (n.isStandard("Conv")) {
                geo = PatchGram.Geometry.of(n, n.input(1).constantValue().orElseThrow());
                if (geo == null) {
                    continue;
                }
            } else if (n.isStandard("Gemm") && n.intAttribute("transB", 0) != 1 && axis != 0) {
                continue;
            }
            out.put(n, new Reader(n, axis, e.getValue().get(axis), geo));
        }
        return new ArrayList<>(out.values());
    }

    /**
     * One layer's refit weights, in the weight's own layout ({@link LayerMatrix} gives the outputs × features view: a
     * Conv's [M, C, kh, kw] as M × (C·kh·kw), a Gemm's or MatMul's by its input axis).
     */
    private static float[] refit(Reader r, double[] gram, double damping, boolean[] damped) {
        LayerMatrix lm = LayerMatrix.of(r.node()).orElseThrow();
        double[] wm = transpose(lm.read(), lm.k(), lm.n());
        long[] dims = r.node().input(1).constantValue().orElseThrow().dims();
        double[] fit = refitMatrix(wm, lm.n(), lm.k(), gram, removedFeatures(r, dims, lm.k()), damping, damped);
        return lm.layout(transpose(fit, lm.n(), lm.k()));
    }

    /**
     * Writes refit weights and compensates the bias: each output's mean changes by Σ_f (W − W')_f · x̄_f over the
     * features, the removed ones included (their weights go to zero), x̄ the input channel's mean on the calibration
     * data (a convolution's patch value taken at its channel's mean, padding ignored). A Conv or Gemm without a bias
     * gets one; a MatMul has none to move it into. Without means (compensation off) only the weights are written.
     * Returns whether a bias was compensated.
     */
    private static boolean write(Graph g, Reader r, float[] fit, double[] channelMean) {
        Node n = r.node();
        long[] dims = n.input(1).constantValue().orElseThrow().dims();
        LayerMatrix lm = LayerMatrix.of(n).orElseThrow();
        double[] before = channelMean == null ? null : lm.read();
        ChannelRemoval.replaceConstant(g, n, 1, name -> Tensor.ofFloats(name, fit, dims), "_refit");
        if (channelMean == null || n.isStandard("MatMul")) {
            return false;
        }
        int features = lm.k();
        int outputs = lm.n();
        int spatial = r.geometry() == null ? 1 : (int) (dims[2] * dims[3]);
        double[] after = lm.read(fit);
        boolean[] gone = removedFeatures(r, dims, features);
        double[] shift = new double[outputs];
        for (int f = 0; f < features; f++) {
            for (int m = 0; m < outputs; m++) {
                shift[m] += (before[f * outputs + m] - (gone[f] ? 0 : after[f * outputs + m])) * channelMean[f / spatial];
            }
        }
        Tensor bias = n.inputs().size() > 2 && n.input(2) != null ? n.input(2).constantValue().orElse(null) : null;
        if (n.inputs().size() > 2 && n.input(2) != null && (bias == null || bias.elementCount() != outputs)) {
            return false; // a bias that is not one value per output (a scalar Gemm C, a computed one)
        }
        float[] b = bias == null ? new float[outputs] : bias.toFloatArray();
        for (int m = 0; m < outputs; m++) {
            b[m] = (float) (b[m] + shift[m]);
        }
        long[] bdims = bias == null ? new long[] {outputs} : bias.dims();
        if (bias == null) {
            while (n.inputs().size() < 2) {
                n.appendInput(null);
            }
            n.appendInput(g.addInitializer(Tensor.ofFloats(g.uniqueName(n.input(1).name() + "_bias"), b, bdims)));
        } else {
            ChannelRemoval.replaceConstant(g, n, 2, name -> Tensor.ofFloats(name, b, bdims), "_compensated");
        }
        return true;
    }

    /** A rows × cols row-major matrix transposed. */
    private static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    private static boolean[] removedFeatures(Reader r, long[] dims, int features) {
        int spatial = r.geometry() == null ? 1 : (int) (dims[2] * dims[3]);
        boolean[] gone = new boolean[features];
        for (long c : r.removed()) {
            for (int k = 0; k < spatial; k++) {
                gone[(int) c * spatial + k] = true;
            }
        }
        return gone;
    }

    /**
     * The least-squares refit on a matrix: W (outputs × features, row-major), G (features × features), the features
     * removed. Returns W with the kept columns replaced by {@code W_K + W_R G_RK G_KK⁻¹} (the removed columns as they
     * were); {@code damped[0]} tells whether G_KK needed damping.
     */
    static double[] refitMatrix(double[] wm, int outputs, int features, double[] gram, boolean[] gone, double damping,
                                boolean[] damped) {
        int[] keep = java.util.stream.IntStream.range(0, features).filter(i -> !gone[i]).toArray();
        int[] drop = java.util.stream.IntStream.range(0, features).filter(i -> gone[i]).toArray();
        int nk = keep.length;
        double[] a = new double[nk * nk];
        for (int i = 0; i < nk; i++) {
            for (int j = 0; j < nk; j++) {
                a[i * nk + j] = gram[keep[i] * features + keep[j]];
            }
        }
        double[] t = new double[nk * outputs]; // G_KR · W_Rᵀ
        for (int i = 0; i < nk; i++) {
            for (int rr : drop) {
                double gkr = gram[keep[i] * features + rr];
                if (gkr == 0) {
                    continue;
                }
                for (int m = 0; m < outputs; m++) {
                    t[i * outputs + m] += gkr * wm[m * features + rr];
                }
            }
        }
        Cholesky.Result l = Cholesky.damped(a, nk, damping, 6);
        damped[0] = l.damping() > 0;
        double[] x = Cholesky.solveTransposed(l.lower(), nk, solveLower(l.lower(), nk, t, outputs), outputs);
        double[] out = wm.clone();
        for (int i = 0; i < nk; i++) {
            for (int m = 0; m < outputs; m++) {
                out[m * features + keep[i]] += x[i * outputs + m];
            }
        }
        return out;
    }

    /** Solves L Y = B (L lower triangular n×n, B n×m, row-major) by forward substitution. */
    static double[] solveLower(double[] l, int n, double[] b, int m) {
        double[] y = b.clone();
        for (int i = 0; i < n; i++) {
            int row = i * m;
            for (int k = 0; k < i; k++) {
                double lik = l[i * n + k];
                if (lik == 0) {
                    continue;
                }
                int other = k * m;
                for (int c = 0; c < m; c++) {
                    y[row + c] -= lik * y[other + c];
                }
            }
            double lii = l[i * n + i];
            for (int c = 0; c < m; c++) {
                y[row + c] /= lii;
            }
        }
        return y;
    }
}
