package dev.bantam.compress.quantize;

import dev.bantam.compress.Decision;
import dev.bantam.compress.quantize.calibrate.Range;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Usage;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.ops.WeightLayout;
import dev.bantam.onnx.ops.WeightLayouts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which nodes of a graph static quantization turns into integer arithmetic, and which activations need a
 * calibrated range. Weighted layers (Conv, ConvTranspose, Gemm, MatMul with a constant weight) are the
 * anchors; an operator between them (Add, pooling, Concat, Relu, data movement) joins when one of its
 * consumers is quantized, so chains stay in int8 and nothing is quantized only to be dequantized again.
 * Every activation input of a quantized node gets a QuantizeLinear/DequantizeLinear pair.
 */
final class StaticPlan {

    final Graph graph;
    final StaticQuantizeConfig config;
    /** Quantized nodes in graph order. */
    final Set<Node> included = new LinkedHashSet<>();
    /** Weighted anchors: node to the index of its weight input. */
    final Map<Node, Integer> weighted = new LinkedHashMap<>();
    final List<Node> gathers = new ArrayList<>();
    /** Activations that get a Q/DQ pair, in graph order. */
    final Set<Value> activations = new LinkedHashSet<>();
    /** Output of a data-movement node whose range is its input's. */
    final Map<Value, Value> sameRangeAs = new LinkedHashMap<>();
    /** Relu/Clip nodes removed by clamping their input's range at zero: node to its output (whose range is used). */
    final Map<Node, Value> folded = new LinkedHashMap<>();
    /** For every weighted layer and embedding the plan considered: quantized, or left in float and why. */
    final List<Decision> decisions = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    /** Ranges known without the histogram (activations rescaled by SmoothQuant). */
    final Map<Value, Range> rangeOverride = new LinkedHashMap<>();
    /** Calibration methods the accuracy guard chose for some activations (by name), in place of the config's. */
    final Map<String, RangeChoice> rangeChoices;

    static final String KEPT_FLOAT = "kept in float by the guards";
    static final String UNREACHED = "inside a body the calibration data never ran (an If branch not taken, a loop of no "
            + "iterations): no activation range";

    StaticPlan(Graph graph, StaticQuantizeConfig config) {
        this(graph, config, Set.of(), Map.of());
    }

    StaticPlan(Graph graph, StaticQuantizeConfig config, Set<String> keptFloat, Map<String, RangeChoice> choices) {
        this(graph, config, keptFloat, choices, Set.of());
    }

    /**
     * @param keptFloat groups (by their anchor's display name: a weighted layer or an embedding table) left in float,
     *                  with the operators that would have joined them only on their account
     * @param choices   calibration methods for some activations (by name) in place of the config's
     * @param unreached groups inside If/Loop/Scan bodies that calibration never ran ({@link #unreached}), left float
     */
    StaticPlan(Graph graph, StaticQuantizeConfig config, Set<String> keptFloat, Map<String, RangeChoice> choices,
               Set<String> unreached) {
        this.graph = graph;
        this.config = config;
        if (!config.keptFloat().isEmpty()) {
            Set<String> all = new LinkedHashSet<>(config.keptFloat());
            all.addAll(keptFloat);
            keptFloat = all;
        }
        Map<String, RangeChoice> all = new LinkedHashMap<>();
        config.calibration().perActivation().forEach((name, label) -> all.put(name, RangeChoice.parse(label, name)));
        all.putAll(choices);
        this.rangeChoices = Map.copyOf(all);
        List<Node> order = depthFirst(graph);
        for (Node n : order) {
            boolean weightedOp = StaticQuantizeConfig.WEIGHTED_OPS.contains(n.opType());
            boolean table = n.isStandard("Gather") && WeightLayouts.of(n).isPresent();
            if (!n.normalizedDomain().isEmpty() || !weightedOp && !table) {
                continue;
            }
            String why = config.scope().whyNot(n);
            if (why == null) {
                why = weightedOp ? unsuitableWeighted(n) : unsuitableTable(n);
            }
            if (why != null) {
                decisions.add(Decision.skipped(n.displayName(), n.opType(), why));
            } else if (weightedOp) {
                weighted.put(n, 1);
            } else {
                gathers.add(n);
            }
        }
        for (Node n : config.scope().firstAndLast(new ArrayList<>(weighted.keySet()))) {
            weighted.remove(n);
            decisions.add(Decision.skipped(n.displayName(), n.opType(), "first or last weighted layer (keepFirstLast)"));
        }
        for (Node n : new ArrayList<>(weighted.keySet())) {
            if (unreached.contains(n.displayName())) {
                weighted.remove(n);
                decisions.add(Decision.skipped(n.displayName(), n.opType(), UNREACHED));
            } else if (keptFloat.contains(n.displayName())) {
                weighted.remove(n);
                decisions.add(Decision.skipped(n.displayName(), n.opType(), KEPT_FLOAT));
            }
        }
        for (Node n : new ArrayList<>(gathers)) {
            if (keptFloat.contains(n.displayName())) {
                gathers.remove(n);
                decisions.add(Decision.skipped(n.displayName(), n.opType(), KEPT_FLOAT));
            }
        }
        weighted.keySet().forEach(n -> decisions.add(Decision.applied(n.displayName(), n.opType(), "quantized")));
        gathers.forEach(n -> decisions.add(Decision.applied(n.displayName(), n.opType(), "table quantized")));
        included.addAll(weighted.keySet());
        for (int i = order.size() - 1; i >= 0; i--) {
            Node n = order.get(i);
            if (!included.contains(n) && joins(n)) {
                included.add(n);
            }
        }
        for (Node n : order) {
            if (included.contains(n) && PASS_THROUGH.contains(n.opType()) && !fedQuantized(n.input(0))) {
                included.remove(n); // a float chain stays float until the next quantized layer reads it
            }
        }
        List<Node> ordered = order.stream().filter(included::contains).toList();
        included.clear();
        included.addAll(ordered);
        for (Node n : included) {
            for (Value in : activationInputs(n)) {
                activations.add(in);
            }
            if (weighted.containsKey(n) && !n.isStandard("MatMul") && !n.isStandard("Gemm")) {
                activations.add(n.output(0)); // runtimes fuse a Conv only with its output quantized
            }
        }
        sortByPosition(order);
        planFolds();
        for (Node n : included) {
            if (StaticQuantizeConfig.MOVE_OPS.contains(n.opType()) && activations.contains(n.output(0))
                    && activations.contains(n.input(0))) {
                sameRangeAs.put(n.output(0), n.input(0));
            }
        }
        long inBodies = weighted.keySet().stream().filter(n -> n.graph() != graph).count();
        if (inBodies > 0) {
            notes.add(inBodies + " weighted layers inside If/Loop/Scan bodies quantized");
        }
    }

    /** Every node of {@code g} in order, each control-flow node preceded by the nodes of its bodies (depth first). */
    static List<Node> depthFirst(Graph g) {
        List<Node> out = new ArrayList<>();
        for (Node n : g) {
            for (Graph body : n.subgraphs()) {
                out.addAll(depthFirst(body));
            }
            out.add(n);
        }
        return out;
    }

    /**
     * The weighted groups inside If/Loop/Scan bodies whose activations calibration saw no value of: the branch or
     * loop the data never ran. They have no range and stay float ({@link #UNREACHED}).
     */
    Set<String> unreached(java.util.function.Predicate<String> seen) {
        Set<String> out = new LinkedHashSet<>();
        for (Node n : weighted.keySet()) {
            if (n.graph() != graph && !groupActivations(n.displayName()).stream().allMatch(seen)) {
                out.add(n.displayName());
            }
        }
        return out;
    }

    private void sortByPosition(List<Node> order) {
        Map<Node, Integer> position = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i), i);
        }
        List<Value> sorted = new ArrayList<>(activations);
        sorted.sort(Comparator.comparingInt(v -> v.producer() == null ? -1 : position.get(v.producer())));
        activations.clear();
        activations.addAll(sorted);
    }

    /** Operators that only pass values on: worth running in int8 only when their input already is. */
    private static final Set<String> PASS_THROUGH = Set.of("Reshape", "Transpose", "Flatten",
            "Squeeze", "Unsqueeze", "MaxPool", "Relu", "Clip");

    private boolean fedQuantized(Value v) {
        Node p = v.producer();
        return p == null ? v.isGraphInput() : included.contains(p);
    }

    /**
     * Refuses a config that names what the model does not have: a {@code keptFloat} group that is no weighted layer or
     * table of the graph, or a {@code calibration.perActivation} entry for no value of it (a recipe recorded on
     * another model, or a typo), rather than ignoring the name. An activation that exists but that this plan leaves
     * float is fine: a recorded choice for a group kept float names one.
     */
    static void refuseUnknownNames(Graph graph, StaticQuantizeConfig config) {
        java.util.Set<String> anchors = new java.util.HashSet<>();
        java.util.Set<String> values = new java.util.HashSet<>();
        graph.graphsRecursive().forEach(g -> g.inputs().forEach(v -> values.add(v.name())));
        for (Node n : depthFirst(graph)) {
            if (n.normalizedDomain().isEmpty()
                    && (StaticQuantizeConfig.WEIGHTED_OPS.contains(n.opType()) || n.isStandard("Gather"))) {
                anchors.add(n.displayName());
            }
            n.outputs().forEach(o -> {
                if (o != null) {
                    values.add(o.name());
                }
            });
        }
        for (String k : config.keptFloat()) {
            if (!anchors.contains(k)) {
                throw new IllegalArgumentException("keptFloat names '" + k + "', which is no weighted layer or "
                        + "embedding table of this model");
            }
        }
        for (String a : config.calibration().perActivation().keySet()) {
            if (!values.contains(a)) {
                throw new IllegalArgumentException("calibration.perActivation names '" + a + "', which is no value "
                        + "of this model");
            }
        }
    }

    /** The groups a guard can return to float: each quantized anchor (weighted layer or table), in graph order. */
    List<Node> groups() {
        List<Node> out = new ArrayList<>(weighted.keySet());
        out.addAll(gathers);
        return out;
    }

    /**
     * The activations whose ranges a group's own quantization sets (by name): its anchor's float inputs and, for a
     * Conv, its output; empty for a table or a group not in this plan.
     */
    List<String> groupActivations(String anchor) {
        List<String> out = new ArrayList<>();
        for (Node n : weighted.keySet()) {
            if (n.displayName().equals(anchor)) {
                for (Value v : activationInputs(n)) {
                    if (activations.contains(v) && !sameRangeAs.containsKey(v)) {
                        out.add(v.name());
                    }
                }
                if (activations.contains(n.output(0)) && !sameRangeAs.containsKey(n.output(0))) {
                    out.add(n.output(0).name());
                }
            }
        }
        return out;
    }

    /**
     * Names whose histograms any plan with some of this plan's groups kept in float may need: every activation's
     * own and its range source's (a Relu folded here may not be folded when its consumer stays float).
     */
    Set<String> calibrationNamesForSubsets() {
        Set<String> names = new LinkedHashSet<>(calibrationNames());
        for (Value v : activations) {
            names.add(v.name());
        }
        return names;
    }

    /** Names whose histograms calibration must collect. */
    Set<String> calibrationNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Value v : activations) {
            if (!sameRangeAs.containsKey(v)) {
                names.add(rangeSource(v).name());
            }
        }
        return names;
    }

    /** The value whose observed range stands for {@code v}: a folded Relu's output, else {@code v} itself. */
    Value rangeSource(Value v) {
        Node p = v.producer();
        if (p != null) {
            for (Usage u : v.uses()) {
                if (folded.containsKey(u.node())) {
                    return folded.get(u.node());
                }
            }
        }
        return v;
    }

    private void planFolds() {
        if (config.activations().symmetric()) {
            return;
        }
        for (Node n : included) {
            if (!(n.isStandard("Relu") || n.isStandard("Clip") && clipsAtZero(n))) {
                continue;
            }
            Value in = n.input(0);
            Node p = in.producer();
            if (p != null && p.graph() == n.graph() && included.contains(p) && in.uses().size() == 1 && !in.isGraphOutput()
                    && !n.output(0).isGraphOutput() && activations.contains(n.output(0))
                    && n.output(0).uses().stream().allMatch(u -> included.contains(u.node()))) {
                folded.put(n, n.output(0));
            }
        }
    }

    private static boolean clipsAtZero(Node clip) {
        if (clip.inputs().size() < 2 || clip.input(1) == null) {
            return false;
        }
        Optional<Tensor> lo = clip.input(1).constantValue();
        return lo.isPresent() && lo.get().elementCount() == 1 && lo.get().toFloatArray()[0] == 0f;
    }

    /** Whether an operator between weighted layers is quantized: supported, float, and feeding a quantized node. */
    private boolean joins(Node n) {
        if (!config.scope().selects(n) || !(StaticQuantizeConfig.MOVE_OPS.contains(n.opType())
                || StaticQuantizeConfig.BETWEEN_OPS.contains(n.opType()))) {
            return false;
        }
        if (n.outputs().size() < 1 || !isFloat(n.output(0)) || n.output(0).isGraphOutput()) {
            return false;
        }
        boolean consumerQuantized = n.output(0).uses().stream()
                .anyMatch(u -> included.contains(u.node()) && activationInputs(u.node()).contains(n.output(0)));
        if (!consumerQuantized) {
            return false;
        }
        return switch (n.opType()) {
            case "Add", "Mul", "Concat" -> n.inputs().stream().allMatch(v -> v != null && isActivation(v));
            case "Clip" -> isActivation(n.input(0)) && n.inputs().stream().skip(1)
                    .allMatch(v -> v == null || v.constantValue().isPresent());
            default -> isActivation(n.input(0));
        };
    }

    /** The inputs of a quantized node that are float activations (not constants). */
    List<Value> activationInputs(Node n) {
        if (weighted.containsKey(n)) {
            return List.of(n.input(0));
        }
        return switch (n.opType()) {
            case "Add", "Mul", "Concat" -> n.inputs();
            default -> List.of(n.input(0));
        };
    }

    /** Why a weighted layer in scope stays in float, or null. */
    private String unsuitableWeighted(Node n) {
        WeightLayout layout = WeightLayouts.of(n).orElse(null);
        Tensor w = layout == null ? null : layout.weight(n).orElse(null);
        if (w == null || layout.weightInput() != 1) {
            return n.inputs().size() < 2 || n.input(1) == null ? "no weight input" : "weight is not a constant float32 tensor";
        }
        if (w.dataType() != DataType.FLOAT) {
            return "weight is not a constant float32 tensor";
        }
        if (!isActivation(n.input(0))) {
            return "input is not a float activation";
        }
        if (w.elementCount() < config.scope().minWeightSize()) {
            return "weight smaller than " + config.scope().minWeightSize() + " elements";
        }
        if (n.isStandard("MatMul") && w.rank() != 2) {
            return "MatMul weight of rank " + w.rank() + " (only 2-D weights)";
        }
        if (n.isStandard("Gemm") && (n.intAttribute("transA", 0) != 0 || n.floatAttribute("alpha", 1f) != 1f
                || n.floatAttribute("beta", 1f) != 1f)) {
            return "Gemm with transA, alpha or beta (fold them first with bantam optimize)";
        }
        return null;
    }

    /** Why an embedding table in scope stays in float, or null. */
    private String unsuitableTable(Node n) {
        Tensor t = WeightLayouts.weight(n).orElseThrow();
        if (t.dataType() != DataType.FLOAT) {
            return "no constant float32 table";
        }
        return t.elementCount() < config.scope().minWeightSize()
                ? "table smaller than " + config.scope().minWeightSize() + " elements" : null;
    }

    /**
     * The per-channel axis of a weighted node's weight (its output channels, from the weight-layout table), or
     * -1 when one scale must serve the whole tensor: per-tensor weights, and grouped ConvTranspose, whose
     * output-channel axis holds one group's channels.
     */
    int channelAxis(Node n) {
        if (!config.perChannel()) {
            return -1;
        }
        WeightLayout layout = WeightLayouts.of(n).orElseThrow();
        return layout.kind() == WeightLayout.Kind.CONV_TRANSPOSE && layout.groups() != 1 ? -1 : layout.outputAxis();
    }

    /**
     * Whether a value is float32: from its type, or, when shape inference left it untyped, from the first
     * input of the type-preserving operator that produced it.
     */
    static boolean isFloat(Value v) {
        for (int depth = 0; v != null && depth < 64; depth++) {
            if (v.type() instanceof ValueType.TensorType t && t.elementType() != null) {
                return t.elementType() == DataType.FLOAT;
            }
            Node p = v.producer();
            if (p == null || !p.normalizedDomain().isEmpty() || !TYPE_PRESERVING.contains(p.opType()) || p.inputs().isEmpty()) {
                return false;
            }
            v = p.input(0);
        }
        return false;
    }

    private static final Set<String> TYPE_PRESERVING = Set.of("Conv", "ConvTranspose", "Gemm",
            "MatMul", "Add", "Sub", "Mul", "Div", "Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh", "Softmax", "Erf",
            "MaxPool", "AveragePool", "GlobalAveragePool", "Reshape", "Transpose", "Flatten", "Squeeze", "Unsqueeze",
            "Concat", "Resize", "Pad", "Slice", "BatchNormalization", "LayerNormalization", "Gelu", "Identity");

    static boolean isActivation(Value v) {
        return v != null && v.constantValue().isEmpty() && isFloat(v) && (v.producer() != null || v.isGraphInput());
    }
}
