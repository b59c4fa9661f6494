package dev.bantam.compress.quantize;

import dev.bantam.compress.quantize.calibrate.Range;
import dev.bantam.compress.stats.ActivationStatistics;
import dev.bantam.compress.stats.ChannelExtremes;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Usage;
import dev.bantam.onnx.ir.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * SmoothQuant (Xiao et al., 2023): an activation X feeding MatMuls with weights W has a few channels with
 * large values that make its per-tensor scale coarse. With {@code s_k = max|X_k|^α / max|W_k,:|^(1-α)},
 * {@code X W = (X / s) (s W)}: the division is folded into the scale and bias of the LayerNormalization that
 * produces X, the multiplication into every consuming weight. Applied where X comes from a
 * LayerNormalization (the fused operator, or its decomposed {@code Add(Mul(y, gamma), beta)} tail) and is read
 * by weighted MatMuls; other readers (the residual of a post-LN transformer such as BERT) get {@code X}
 * back through one {@code Mul(X / s, s)}. The LayerNormalization gets its own scaled copies of γ and β, so a γ
 * or β it shares with other nodes is left as those read it.
 */
final class SmoothQuant {

    /** A LayerNormalization's γ and β, as the inputs of the nodes that read them. */
    private record FoldTarget(Usage gamma, Usage beta) {
    }

    private SmoothQuant() {
    }

    /** Asks for the histogram and per-channel extremes (last axis) of every activation it may balance. */
    static void request(StaticPlan plan, ActivationStatistics stats) {
        if (plan.config.smoothQuantAlpha() > 0) {
            for (Value x : candidates(plan)) {
                stats.withHistogram(x.name()).withChannelExtremes(x.name(), -1);
            }
        }
    }

    private static List<Value> candidates(StaticPlan plan) {
        List<Value> out = new ArrayList<>();
        for (Value x : plan.activations) {
            if (x.graph() != plan.graph || x.isGraphOutput() || x.uses().isEmpty() || foldTarget(x).isEmpty()) {
                continue;
            }
            boolean someMatMul = x.uses().stream().anyMatch(u -> isWeightedMatMul(plan, u));
            if (someMatMul && !out.contains(x)) {
                out.add(x);
            }
        }
        return out;
    }

    private static boolean isWeightedMatMul(StaticPlan plan, Usage u) {
        return u.index() == 0 && u.node().isStandard("MatMul") && plan.weighted.containsKey(u.node());
    }

    /** Where the γ and β of the LayerNormalization producing x are read, when they are constant vectors. */
    private static Optional<FoldTarget> foldTarget(Value x) {
        Node p = x.producer();
        if (p == null) {
            return Optional.empty();
        }
        if (p.isStandard("LayerNormalization") && constVector(p.input(1))
                && (p.inputs().size() < 3 || p.input(2) == null || constVector(p.input(2)))) {
            return Optional.of(new FoldTarget(new Usage(p, 1),
                    p.inputs().size() < 3 || p.input(2) == null ? null : new Usage(p, 2)));
        }
        if (p.isStandard("Add") && constVector(p.input(1)) && p.input(0).producer() != null) {
            Node mul = p.input(0).producer();
            if (mul.isStandard("Mul") && constVector(mul.input(1)) && p.input(0).uses().size() == 1) {
                return Optional.of(new FoldTarget(new Usage(mul, 1), new Usage(p, 1)));
            }
        }
        return Optional.empty();
    }

    private static boolean constVector(Value v) {
        if (v == null) {
            return false;
        }
        Optional<Tensor> t = v.constantValue();
        return t.isPresent() && t.get().dataType() == DataType.FLOAT && t.get().rank() == 1;
    }

    /**
     * Rescales every candidate whose MatMul weights all match its width, and records the smoothed activation's
     * new range in the plan. A candidate that does not match is left as it is (with a note); the others are
     * still smoothed. Returns notes.
     */
    static List<String> apply(StaticPlan plan, ActivationStatistics stats, double alpha) {
        List<String> notes = new ArrayList<>();
        for (Value x : candidates(plan)) {
            ChannelExtremes ext = stats.channelExtremes(x.name());
            float[] lo = ext.min();
            float[] hi = ext.max();
            if (lo == null) {
                continue;
            }
            List<Usage> matMuls = x.uses().stream().filter(u -> isWeightedMatMul(plan, u)).toList();
            float[] wMax = weightMaxPerRow(matMuls, lo.length);
            if (wMax == null) {
                notes.add("SmoothQuant skipped " + x.name() + ": a MatMul weight's rows do not match its "
                        + lo.length + " channels");
                continue;
            }
            float[] s = new float[lo.length];
            double newLo = 0;
            double newHi = 0;
            for (int c = 0; c < s.length; c++) {
                double a = Math.max(Math.abs(lo[c]), Math.abs(hi[c]));
                double v = a == 0 || wMax[c] == 0 ? 1 : Math.pow(a, alpha) / Math.pow(wMax[c], 1 - alpha);
                s[c] = (float) Math.max(1e-5, Math.min(1e5, v));
                newLo = Math.min(newLo, lo[c] / s[c]);
                newHi = Math.max(newHi, hi[c] / s[c]);
            }
            List<Usage> others = x.uses().stream().filter(u -> !isWeightedMatMul(plan, u)).toList();
            rescale(plan.graph, x, s, foldTarget(x).orElseThrow(), matMuls, others);
            plan.rangeOverride.put(x, new Range(newLo, newHi, 0));
            var h = stats.histogram(x.name());
            notes.add(String.format(Locale.ROOT, "SmoothQuant alpha %.2f on %s (%d MatMuls%s): range %.3g..%.3g -> %.3g..%.3g",
                    alpha, x.name(), matMuls.size(), others.isEmpty() ? "" : ", " + others.size()
                            + " float readers rescaled by a Mul", h.min(), h.max(), newLo, newHi));
        }
        return notes;
    }

    /** max |W[k, :]| over every MatMul's weight, per row k; null when a weight does not have {@code k} rows. */
    private static float[] weightMaxPerRow(List<Usage> matMuls, int k) {
        float[] wMax = new float[k];
        for (Usage u : matMuls) {
            Tensor w = u.node().input(1).constantValue().orElseThrow();
            if (w.dim(0) != k) {
                return null;
            }
            float[] wf = w.toFloatArray();
            int n = (int) w.dim(1);
            for (int i = 0; i < wf.length; i++) {
                wMax[i / n] = Math.max(wMax[i / n], Math.abs(wf[i]));
            }
        }
        return wMax;
    }

    /** X / s folded into γ and β; s into every MatMul weight; a Mul by s for the float readers. */
    private static void rescale(Graph g, Value x, float[] s, FoldTarget target, List<Usage> matMuls, List<Usage> others) {
        divideVector(g, target.gamma(), s);
        if (target.beta() != null) {
            divideVector(g, target.beta(), s);
        }
        if (!others.isEmpty()) { // a residual or other float reader gets the unscaled value back
            Value sv = g.addInitializer(Tensor.ofFloats(g.uniqueName(x.name() + "_smoothquant_scale"), s, s.length));
            Node undo = Node.of("Mul", List.of(x, sv), List.of(g.uniqueName(x.name() + "_unsmoothed")));
            g.insertAfter(x.producer(), undo);
            undo.output(0).setType(x.type());
            for (Usage u : others) {
                u.node().replaceInput(u.index(), undo.output(0));
            }
        }
        for (Usage u : matMuls) {
            Node mm = u.node();
            Tensor w = mm.input(1).constantValue().orElseThrow();
            float[] wf = w.toFloatArray();
            int n = (int) w.dim(1);
            for (int i = 0; i < wf.length; i++) {
                wf[i] *= s[i / n];
            }
            mm.replaceInput(1, g.addInitializer(Tensor.ofFloats(g.uniqueName(mm.input(1).name() + "_smoothed"), wf,
                    w.dims())));
        }
    }

    /** The vector read at {@code use}, divided by s, as a new initializer read there only. */
    private static void divideVector(Graph g, Usage use, float[] s) {
        Value v = use.node().input(use.index());
        float[] a = v.constantValue().orElseThrow().toFloatArray();
        for (int i = 0; i < a.length; i++) {
            a[i] /= s[i];
        }
        use.node().replaceInput(use.index(), g.addInitializer(Tensor.ofFloats(g.uniqueName(v.name() + "_smoothed"), a,
                a.length)));
    }
}
