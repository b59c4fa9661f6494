package dev.bantam.compress.quantize;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Usage;
import dev.bantam.onnx.ir.Value;
import java.util.ArrayList;
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
    final QuantizeConfig config;
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
    final List<String> leftInFloat = new ArrayList<>();
    /** Ranges known without the histogram (activations rescaled by SmoothQuant). */
    final Map<Value, dev.bantam.compress.quantize.calibrate.Range> rangeOverride = new LinkedHashMap<>();

    StaticPlan(Graph graph, QuantizeConfig config) {
        this.graph = graph;
        this.config = config;
        List<Node> order = graph.nodes();
        for (Node n : order) {
            if (!n.normalizedDomain().isEmpty() || !config.selects(n.opType(), n.displayName())) {
                if (n.normalizedDomain().isEmpty() && QuantizeConfig.WEIGHTED_OPS.contains(n.opType())) {
                    leftInFloat.add(n.displayName() + ": excluded");
                }
                continue;
            }
            if (QuantizeConfig.WEIGHTED_OPS.contains(n.opType())) {
                Optional<String> why = unsuitableWeighted(n);
                if (why.isPresent()) {
                    leftInFloat.add(n.displayName() + ": " + why.get());
                } else {
                    weighted.put(n, 1);
                }
            } else if (n.isStandard("Gather")) {
                Optional<Tensor> t = n.input(0).constantValue();
                if (t.isPresent() && t.get().dataType() == DataType.FLOAT && t.get().rank() == 2
                        && t.get().elementCount() >= config.minWeightSize() && n.intAttribute("axis", 0) == 0) {
                    gathers.add(n);
                }
            }
        }
        if (config.keepFirstLast() && !weighted.isEmpty()) {
            List<Node> w = new ArrayList<>(weighted.keySet());
            for (Node n : w.size() == 1 ? List.of(w.get(0)) : List.of(w.get(0), w.get(w.size() - 1))) {
                weighted.remove(n);
                leftInFloat.add(n.displayName() + ": first or last weighted layer, kept in float");
            }
        }
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
            if (QuantizeConfig.MOVE_OPS.contains(n.opType()) && activations.contains(n.output(0))
                    && activations.contains(n.input(0))) {
                sameRangeAs.put(n.output(0), n.input(0));
            }
        }
        long subgraphs = order.stream().mapToLong(x -> x.subgraphs().size()).sum();
        if (subgraphs > 0) {
            leftInFloat.add(subgraphs + " subgraphs (If/Loop/Scan bodies) are left in float");
        }
    }

    private void sortByPosition(List<Node> order) {
        Map<Node, Integer> position = new java.util.HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i), i);
        }
        List<Value> sorted = new ArrayList<>(activations);
        sorted.sort(java.util.Comparator.comparingInt(v -> v.producer() == null ? -1 : position.get(v.producer())));
        activations.clear();
        activations.addAll(sorted);
    }

    /** Operators that only pass values on: worth running in int8 only when their input already is. */
    private static final java.util.Set<String> PASS_THROUGH = java.util.Set.of("Reshape", "Transpose", "Flatten",
            "Squeeze", "Unsqueeze", "MaxPool", "Relu", "Clip");

    private boolean fedQuantized(Value v) {
        Node p = v.producer();
        return p == null ? v.isGraphInput() : included.contains(p);
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
        if (config.symmetricActivations()) {
            return;
        }
        for (Node n : included) {
            if (!(n.isStandard("Relu") || n.isStandard("Clip") && clipsAtZero(n))) {
                continue;
            }
            Value in = n.input(0);
            Node p = in.producer();
            if (p != null && included.contains(p) && in.uses().size() == 1 && !in.isGraphOutput()
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
        if (!n.normalizedDomain().isEmpty() || !config.selects(n.opType(), n.displayName())
                || !(QuantizeConfig.MOVE_OPS.contains(n.opType()) || QuantizeConfig.BETWEEN_OPS.contains(n.opType()))) {
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

    private Optional<String> unsuitableWeighted(Node n) {
        if (n.inputs().size() < 2 || n.input(1) == null) {
            return Optional.of("no weight input");
        }
        Optional<Tensor> w = n.input(1).constantValue();
        if (w.isEmpty() || w.get().dataType() != DataType.FLOAT) {
            return Optional.of("weight is not a constant float32 tensor");
        }
        if (!isActivation(n.input(0))) {
            return Optional.of("input is not a float activation");
        }
        if (w.get().elementCount() < config.minWeightSize()) {
            return Optional.of("weight smaller than " + config.minWeightSize() + " elements");
        }
        switch (n.opType()) {
            case "MatMul" -> {
                if (w.get().rank() != 2) {
                    return Optional.of("MatMul weight of rank " + w.get().rank() + " (only 2-D weights)");
                }
            }
            case "Gemm" -> {
                if (n.intAttribute("transA", 0) != 0 || n.floatAttribute("alpha", 1f) != 1f || n.floatAttribute("beta", 1f) != 1f) {
                    return Optional.of("Gemm with transA, alpha or beta (fold them first with bantam optimize)");
                }
            }
            default -> {
                if (w.get().rank() < 3) {
                    return Optional.of(n.opType() + " weight of rank " + w.get().rank());
                }
            }
        }
        return Optional.empty();
    }

    /** The output-channel axis of a weighted node's weight, or -1 when one scale must serve the whole tensor. */
    int channelAxis(Node n) {
        if (!config.perChannel()) {
            return -1;
        }
        return switch (n.opType()) {
            case "Conv" -> 0;
            case "ConvTranspose" -> n.intAttribute("group", 1) == 1 ? 1 : -1;
            case "Gemm" -> n.intAttribute("transB", 0) == 1 ? 0 : 1;
            case "MatMul" -> 1;
            default -> -1;
        };
    }

    /**
     * Whether a value is float32: from its type, or, when shape inference left it untyped, from the first
     * input of the type-preserving operator that produced it.
     */
    static boolean isFloat(Value v) {
        for (int depth = 0; v != null && depth < 64; depth++) {
            if (v.type() instanceof dev.bantam.onnx.ir.ValueType.TensorType t && t.elementType() != null) {
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

    private static final java.util.Set<String> TYPE_PRESERVING = java.util.Set.of("Conv", "ConvTranspose", "Gemm",
            "MatMul", "Add", "Sub", "Mul", "Div", "Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh", "Softmax", "Erf",
            "MaxPool", "AveragePool", "GlobalAveragePool", "Reshape", "Transpose", "Flatten", "Squeeze", "Unsqueeze",
            "Concat", "Resize", "Pad", "Slice", "BatchNormalization", "LayerNormalization", "Gelu", "Identity");

    static boolean isActivation(Value v) {
        return v != null && v.constantValue().isEmpty() && isFloat(v) && (v.producer() != null || v.isGraphInput());
    }
}
