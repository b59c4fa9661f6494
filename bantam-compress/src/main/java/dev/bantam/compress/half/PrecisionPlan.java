package dev.bantam.compress.half;

import dev.bantam.compress.stats.MagnitudeHistogram;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Usage;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where each operator with float32 values computes: in the half type or in float32, and why. An operator computes
 * in the half type when its schema takes the type at the model's opset, the scope selects it, ONNX Runtime's CPU
 * provider can load it (BF16), every float constant it reads converts faithfully, and its values fit the type:
 * measured on calibration data (no input or output beyond half the largest finite value, and not most of their
 * non-zero values below the normal range), or, without data, it is not on a list of sensitive operators. Operators
 * that only move data follow their neighbours ({@link #settleMovement}), and half regions too small to pay for
 * the Casts at their borders return to float32 ({@link Regions}).
 */
final class PrecisionPlan {

    /**
     * Operators kept in float32 when nothing was measured: exponentials, logarithms, powers and square roots
     * overflow or underflow first; reductions and normalizations sum many values or divide by a small one.
     */
    static final Set<String> SENSITIVE = Set.of("Exp", "Log", "Pow", "Sqrt", "Reciprocal", "LogSoftmax", "CumSum",
            "ReduceMean", "ReduceSum", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSum",
            "ReduceLogSumExp", "LayerNormalization", "InstanceNormalization", "GroupNormalization",
            "MeanVarianceNormalization", "LpNormalization", "LRN");

    /** The largest magnitude a value may reach on calibration data, as a fraction of the type's largest value. */
    static final double HEADROOM = 0.5;

    /** The largest fraction of a value's non-zero magnitudes that may lie below the type's normal range. */
    static final double MAX_BELOW_NORMAL = 0.5;

    /** One operator's place. */
    record Choice(boolean half, String reason, Float maxAbs, Double belowNormal) {
    }

    private final HalfPrecisionConfig config;
    private final HalfType type;
    private final long opset;
    private final Map<String, MagnitudeHistogram> measured;
    private final HalfTensors constants;
    private final Set<String> keptWeights;
    private final Map<Node, Choice> choices = new LinkedHashMap<>();
    private final Map<Node, HalfOps.Form> forms = new java.util.IdentityHashMap<>();
    private final Set<Node> firstLast = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private PrecisionPlan(HalfPrecisionConfig config, long opset, Map<String, MagnitudeHistogram> measured,
                          HalfTensors constants, Set<String> keptWeights) {
        this.config = config;
        this.keptWeights = keptWeights;
        this.type = config.type();
        this.opset = opset;
        this.measured = measured;
        this.constants = constants;
    }

    /**
     * Plans every node of {@code g}.
     *
     * @param measured magnitudes of the float activations by name, or null when nothing was measured
     * @param forced      nodes that must compute in float32 (a fidelity target not met), with the reason
     * @param keptWeights constants that must stay float32 (likewise); their readers compute in float32
     */
    static PrecisionPlan of(Graph g, HalfPrecisionConfig config, long opset, Map<String, MagnitudeHistogram> measured,
                            HalfTensors constants, Map<Node, String> forced, Set<String> keptWeights) {
        PrecisionPlan p = new PrecisionPlan(config, opset, measured, constants, keptWeights);
        for (Node n : g) {
            HalfOps.of(n).ifPresent(f -> p.forms.put(n, f));
        }
        List<Node> weighted = new ArrayList<>();
        for (Node n : g) {
            if (n.normalizedDomain().isEmpty() && isWeighted(n)) {
                weighted.add(n);
            }
        }
        p.firstLast.addAll(config.scope().firstAndLast(weighted));
        for (Node n : g) {
            if (considered(n)) {
                String why = forced.containsKey(n) ? forced.get(n)
                        : p.firstLast.contains(n) ? "first or last weighted layer (keepFirstLast)" : null;
                p.choices.put(n, why != null ? new Choice(false, why, null, null) : p.choose(n));
            }
        }
        p.settleMovement(g);
        Regions.prune(g, p);
        return p;
    }

    /** Whether {@code n} has a half form and reads or writes a float32 value where the form puts the type. */
    static boolean considered(Node n) {
        if (n.isStandard("Constant")) {
            return false;
        }
        Optional<HalfOps.Form> f = HalfOps.of(n);
        if (f.isEmpty()) {
            return n.outputs().stream().anyMatch(PrecisionPlan::isFloat) || n.inputs().stream().anyMatch(PrecisionPlan::isFloat);
        }
        for (int i = 0; i < n.inputs().size(); i++) {
            if (f.get().halfInput(i) && isFloat(n.input(i))) {
                return true;
            }
        }
        for (int i = 0; i < n.outputs().size(); i++) {
            if (f.get().halfOutput(i) && isFloat(n.output(i))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code v} is a float32 tensor (by its constant, else by its declared or inferred type). */
    static boolean isFloat(Value v) {
        if (v == null || v.name() == null || v.name().isEmpty()) {
            return false;
        }
        Optional<Tensor> c = v.constantValue();
        if (c.isPresent()) {
            return c.get().dataType() == DataType.FLOAT;
        }
        return v.type() instanceof ValueType.TensorType t && t.elementType() == DataType.FLOAT;
    }

    private static boolean isWeighted(Node n) {
        return Set.of("Conv", "ConvTranspose", "Gemm", "MatMul").contains(n.opType())
                && n.inputs().stream().skip(1).limit(1).anyMatch(v -> v.constantValue().isPresent());
    }

    private Choice choose(Node n) {
        Optional<HalfOps.Form> form = HalfOps.of(n);
        if (form.isEmpty()) {
            return floatBecause(n.normalizedDomain().isEmpty() ? n.opType() + " has no " + type.label()
                    + " form in ONNX (its schema does not take the type where this model has float values)"
                    : "not a standard ONNX operator");
        }
        if (config.compute() == Compute.FLOAT) {
            return floatBecause("compute: float (weights stored in " + type.label() + ", widened at load)");
        }
        if (!HalfOps.typeCarrier(n)) {
            String scope = config.scope().whyNot(n);
            if (scope != null) {
                return floatBecause(scope);
            }
        } else if (config.scope().excludedByName(n)) {
            return floatBecause("excluded by name");
        }
        if (opset < form.get().minOpset(type)) {
            return floatBecause(String.format(Locale.ROOT, "%s takes %s from ai.onnx opset %d; the model has %d",
                    n.opType(), type.label(), form.get().minOpset(type), opset));
        }
        OrtCpuKernels.Support kernel = OrtCpuKernels.support(n.opType(), type, opset);
        if (config.target() == Target.ORT_CPU && kernel != OrtCpuKernels.Support.NATIVE) {
            return floatBecause("ONNX Runtime's CPU provider has no " + type.label() + " " + n.opType() + " kernel of its "
                    + "own (" + (kernel == OrtCpuKernels.Support.NONE ? "it refuses such a model"
                    : "it would cast around it and compute in float32, only slower") + "); target any puts it in "
                    + type.label() + " for runtimes that have one");
        }
        String untyped = untypedValue(n, form.get());
        if (untyped != null) {
            return floatBecause("the type of '" + untyped + "' is not known");
        }
        String constant = unfaithfulConstant(n, form.get());
        if (constant != null) {
            return floatBecause("constant " + constant);
        }
        return measured == null ? unmeasured(n) : byMagnitudes(n, form.get());
    }

    private Choice unmeasured(Node n) {
        if (SENSITIVE.contains(n.opType()) && !config.dataAware()) {
            return floatBecause(n.opType() + " is numerically sensitive and nothing was measured (give calibration "
                    + "data to judge it by its values' magnitudes)");
        }
        return new Choice(true, "computes in " + type.label(), null, null);
    }

    /** Judges {@code n} by the magnitudes its float inputs and outputs took on calibration data. */
    private Choice byMagnitudes(Node n, HalfOps.Form form) {
        float maxAbs = 0;
        double below = 0;
        String worstBig = null;
        String worstSmall = null;
        int minNormalExponent = Math.getExponent(type.minNormal());
        for (Value v : halfValues(n, form)) {
            MagnitudeHistogram m = v.constantValue().isPresent() ? null : measured.get(v.name());
            if (m == null) {
                continue;
            }
            if (m.maxAbs() >= maxAbs) {
                maxAbs = m.maxAbs();
                worstBig = v.name();
            }
            double f = m.fractionBelow(minNormalExponent);
            if (f >= below) {
                below = f;
                worstSmall = v.name();
            }
        }
        if (maxAbs > HEADROOM * type.maxFinite()) {
            return new Choice(false, String.format(Locale.ROOT, "'%s' reaches %.4g on calibration data; %s's largest "
                    + "value is %.6g and half of it is the limit", worstBig, maxAbs, type.label(), type.maxFinite()),
                    maxAbs, below);
        }
        if (below > MAX_BELOW_NORMAL) {
            return new Choice(false, String.format(Locale.ROOT, "%.1f%% of the non-zero values of '%s' on calibration "
                    + "data are below %s's normal range (%.3g)", 100 * below, worstSmall, type.label(), type.minNormal()),
                    maxAbs, below);
        }
        return new Choice(true, String.format(Locale.ROOT, "computes in %s: values up to %.4g, %.2f%% below the "
                + "normal range on calibration data", type.label(), maxAbs, 100 * below), maxAbs, below);
    }

    private String untypedValue(Node n, HalfOps.Form form) {
        for (int i = 0; i < n.inputs().size(); i++) {
            Value v = n.input(i);
            if (form.halfInput(i) && v != null && v.name() != null && !v.name().isEmpty() && v.type() == null
                    && v.constantValue().isEmpty()) {
                return v.name();
            }
        }
        for (int i = 0; i < n.outputs().size(); i++) {
            Value v = n.output(i);
            if (form.halfOutput(i) && v != null && v.uses().size() + (v.isGraphOutput() ? 1 : 0) > 0 && v.type() == null) {
                return v.name();
            }
        }
        return null;
    }

    private String unfaithfulConstant(Node n, HalfOps.Form form) {
        for (int i = 0; i < n.inputs().size(); i++) {
            Value v = n.input(i);
            if (form.halfInput(i) && isFloat(v) && v.constantValue().isPresent()) {
                if (keptWeights.contains(v.name())) {
                    return "'" + v.name() + "' returned to float32 to meet minFidelity";
                }
                String why = constants.whyNot(v.name(), constants.of(v.constantValue().get()));
                if (why != null) {
                    return why;
                }
            }
        }
        return null;
    }

    /** The float values {@code n} reads or writes where its form puts the type. */
    static List<Value> halfValues(Node n, HalfOps.Form form) {
        List<Value> out = new ArrayList<>();
        for (int i = 0; i < n.inputs().size(); i++) {
            if (form.halfInput(i) && isFloat(n.input(i))) {
                out.add(n.input(i));
            }
        }
        for (int i = 0; i < n.outputs().size(); i++) {
            if (form.halfOutput(i) && isFloat(n.output(i))) {
                out.add(n.output(i));
            }
        }
        return out;
    }

    private static Choice floatBecause(String why) {
        return new Choice(false, why, null, null);
    }

    /**
     * Operators that only move data compute where their neighbours do: one with a non-constant float input is in
     * the half type when all such inputs come in the half type; one without (a Gather from a table, a Cast from
     * integers, a ConstantOfShape) when everything reading its output reads it in the half type. Iterated to the
     * least fixed point, so a chain of them settles whichever way it is connected.
     */
    private void settleMovement(Graph g) {
        Map<Node, Choice> eligible = new LinkedHashMap<>();
        choices.forEach((n, c) -> {
            if (c.half() && form(n).movement()) {
                eligible.put(n, c);
                choices.put(n, floatBecause("moves data between float32 operators"));
            }
        });
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Map.Entry<Node, Choice> e : eligible.entrySet()) {
                Node n = e.getKey();
                if (!half(n) && followsHalf(n)) {
                    choices.put(n, e.getValue());
                    changed = true;
                }
            }
        }
    }

    private boolean followsHalf(Node n) {
        HalfOps.Form form = form(n);
        boolean any = false;
        for (int i = 0; i < n.inputs().size(); i++) {
            Value v = n.input(i);
            if (form.halfInput(i) && isFloat(v) && v.constantValue().isEmpty()) {
                if (!producedHalf(v)) {
                    return false;
                }
                any = true;
            }
        }
        if (any) {
            return true;
        }
        for (int i = 0; i < n.outputs().size(); i++) {
            Value v = n.output(i);
            if (!form.halfOutput(i) || v == null) {
                continue;
            }
            if (v.isGraphOutput() && config.keepIoTypes()) {
                return false;
            }
            for (Usage u : v.uses()) {
                if (!readsHalf(u)) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /** Whether {@code v} (not a constant) exists in the half type: made by a half node, or a graph input in it. */
    boolean producedHalf(Value v) {
        if (v.producer() != null) {
            Node p = v.producer();
            return half(p) && form(p).halfOutput(v.outputIndex());
        }
        return v.isGraphInput() && !config.keepIoTypes();
    }

    /** Whether this use reads its value in the half type. */
    boolean readsHalf(Usage u) {
        return half(u.node()) && form(u.node()).halfInput(u.index());
    }

    /** The half form {@code n} had when it was planned (a rewrite changes Casts' and ConstantOfShapes'). */
    HalfOps.Form form(Node n) {
        HalfOps.Form f = forms.get(n);
        if (f == null) {
            throw new IllegalStateException(n.displayName() + " has no half form");
        }
        return f;
    }

    /** Whether {@code n} is the first or last weighted layer that keepFirstLast leaves alone. */
    boolean firstOrLast(Node n) {
        return firstLast.contains(n);
    }

    boolean half(Node n) {
        Choice c = choices.get(n);
        return c != null && c.half();
    }

    Map<Node, Choice> choices() {
        return choices;
    }

    void demote(Node n, String why) {
        choices.put(n, floatBecause(why));
    }

    HalfPrecisionConfig config() {
        return config;
    }
}
