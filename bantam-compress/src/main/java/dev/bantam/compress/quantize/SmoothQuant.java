package dev.bantam.compress.quantize;

import dev.bantam.compress.quantize.calibrate.ActivationStats;
import dev.bantam.compress.quantize.calibrate.Range;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Usage;
import dev.bantam.onnx.ir.Value;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * SmoothQuant (Xiao et al., 2023): an activation X feeding MatMuls with weights W has a few channels with
 * large values that make its per-tensor scale coarse. With {@code s_k = max|X_k|^α / max|W_k,:|^(1-α)},
 * {@code X W = (X / s) (s W)}: the division is folded into the scale and bias of the LayerNormalization that
 * produces X, the multiplication into every consuming weight. Applied where X comes from a
 * LayerNormalization (the fused operator, or its decomposed {@code Add(Mul(y, gamma), beta)} tail) and is read
 * by weighted MatMuls; other readers (the residual of a post-LN transformer such as BERT) get {@code X}
 * back through one {@code Mul(X / s, s)}.
 */
final class SmoothQuant {

    private SmoothQuant() {
    }

    /** The activations whose per-channel ranges SmoothQuant needs. */
    static Set<String> inputsToObserve(StaticPlan plan) {
        Set<String> names = new LinkedHashSet<>();
        if (plan.config.smoothQuantAlpha() > 0) {
            for (Value x : candidates(plan)) {
                names.add(x.name());
            }
        }
        return names;
    }

    private static List<Value> candidates(StaticPlan plan) {
        List<Value> out = new ArrayList<>();
        for (Value x : plan.activations) {
            if (x.isGraphOutput() || x.uses().isEmpty() || foldTarget(x).isEmpty()) {
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

    /** The [scale, bias] values of the LayerNormalization producing x, when they are constant vectors. */
    private static Optional<Value[]> foldTarget(Value x) {
        Node p = x.producer();
        if (p == null) {
            return Optional.empty();
        }
        if (p.isStandard("LayerNormalization") && constVector(p.input(1))
                && (p.inputs().size() < 3 || p.input(2) == null || constVector(p.input(2)))) {
            return Optional.of(new Value[] {p.input(1), p.inputs().size() < 3 ? null : p.input(2)});
        }
        if (p.isStandard("Add") && constVector(p.input(1)) && p.input(0).producer() != null) {
            Node mul = p.input(0).producer();
            if (mul.isStandard("Mul") && constVector(mul.input(1)) && p.input(0).uses().size() == 1) {
                return Optional.of(new Value[] {mul.input(1), p.input(1)});
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

    /** Rescales every candidate; records the smoothed activation's new range in the plan. Returns notes. */
    static List<String> apply(StaticPlan plan, ActivationStats stats, double alpha) {
        List<String> notes = new ArrayList<>();
        for (Value x : candidates(plan)) {
            float[] lo = stats.channelMin(x.name());
            float[] hi = stats.channelMax(x.name());
            if (lo == null) {
                continue;
            }
            int k = lo.length;
            float[] wMax = new float[k];
            List<Usage> matMuls = x.uses().stream().filter(u -> isWeightedMatMul(plan, u)).toList();
            List<Usage> others = x.uses().stream().filter(u -> !isWeightedMatMul(plan, u)).toList();
            for (Usage u : matMuls) {
                Tensor w = u.node().input(1).constantValue().orElseThrow();
                if (w.dim(0) != k) {
                    return notes;
                }
                float[] wf = w.toFloatArray();
                int n = (int) w.dim(1);
                for (int i = 0; i < wf.length; i++) {
                    wMax[i / n] = Math.max(wMax[i / n], Math.abs(wf[i]));
                }
            }
            float[] s = new float[k];
            double newLo = 0;
            double newHi = 0;
            for (int c = 0; c < k; c++) {
                double a = Math.max(Math.abs(lo[c]), Math.abs(hi[c]));
                double v = a == 0 || wMax[c] == 0 ? 1 : Math.pow(a, alpha) / Math.pow(wMax[c], 1 - alpha);
                s[c] = (float) Math.max(1e-5, Math.min(1e5, v));
                newLo = Math.min(newLo, lo[c] / s[c]);
                newHi = Math.max(newHi, hi[c] / s[c]);
            }
            Value[] target = foldTarget(x).orElseThrow();
            Graph g = plan.graph;
            divideVector(g, target[0], s);
            if (target[1] != null) {
                divideVector(g, target[1], s);
            }
            if (!others.isEmpty()) { // a residual or other float reader gets the unscaled value back
                Value sv = g.addInitializer(Tensor.ofFloats(g.uniqueName(x.name() + "_smoothquant_scale"), s, k));
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
            plan.rangeOverride.put(x, new Range(newLo, newHi, 0));
            notes.add(String.format(Locale.ROOT, "SmoothQuant alpha %.2f on %s (%d MatMuls%s): range %.3g..%.3g -> %.3g..%.3g",
                    alpha, x.name(), matMuls.size(), others.isEmpty() ? "" : ", " + others.size() + " float readers rescaled by a Mul", stats.histogram(x.name()).min(), stats.histogram(x.name()).max(),
                    newLo, newHi));
        }
        return notes;
    }

    /** Replaces a constant vector input by itself divided by s (a new initializer, so sharing is safe). */
    private static void divideVector(Graph g, Value v, float[] s) {
        float[] a = v.constantValue().orElseThrow().toFloatArray();
        for (int i = 0; i < a.length; i++) {
            a[i] /= s[i];
        }
        Value nv = g.addInitializer(Tensor.ofFloats(g.uniqueName(v.name() + "_smoothed"), a, a.length));
        for (Usage u : List.copyOf(v.uses())) {
            u.node().replaceInput(u.index(), nv);
        }
    }
}
