package dev.bantam.train.graph;

import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Usage;
import dev.bantam.onnx.ir.Value;
import java.util.Set;

/**
 * Which constant tensors of a graph are learnable weights: those a layer reads as its weight or bias (Conv,
 * Gemm, MatMul, normalizations' scale and bias, embedding tables), and per-channel terms of element-wise
 * arithmetic on activations (a bias Add, a layer-scale Mul). Running statistics of BatchNormalization are
 * state, not weights. Everything else (shapes, exponents, epsilons, clip bounds) stays constant.
 */
final class ParameterRoles {

    private static final Set<String> ARITHMETIC = Set.of("Add", "Sub", "Mul", "Div");

    private ParameterRoles() {
    }

    /** Whether constant {@code v} is read by some node as a weight. */
    static boolean isWeight(Value v, long elements, java.util.function.Predicate<Value> isConstant) {
        for (Usage u : v.uses()) {
            if (isWeightSlot(u.node(), u.index(), elements, isConstant)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code v} is a running mean or variance of a BatchNormalization. */
    static boolean isRunningStatistic(Value v) {
        return v.uses().stream().anyMatch(u -> u.node().opType().equals("BatchNormalization")
                && (u.index() == 3 || u.index() == 4));
    }

    private static boolean isWeightSlot(Node n, int index, long elements,
            java.util.function.Predicate<Value> isConstant) {
        return switch (n.opType()) {
            case "Conv", "ConvTranspose", "Gemm", "LayerNormalization", "InstanceNormalization" ->
                    index == 1 || index == 2;
            case "BatchNormalization" -> index == 1 || index == 2;
            case "MatMul" -> !isConstant.test(n.input(1 - index));
            case "Gather" -> index == 0;
            case "PRelu" -> index == 1;
            default -> ARITHMETIC.contains(n.opType()) && elements > 1 && !isConstant.test(n.input(1 - index));
        };
    }
}
