package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.pass.Pass;
import dev.bantam.onnx.pass.PassResult;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Removes nodes that pass their input through: Identity, Dropout in inference (no mask used, training
 * mode off), Cast to the type the input already has, Reshape to the static shape the input already has.
 */
public final class EliminateNoOps implements Pass {

    @Override
    public String name() {
        return "eliminate-no-ops";
    }

    @Override
    public PassResult run(Model model) {
        Map<String, Integer> removed = new TreeMap<>();
        for (Graph g : model.graph().graphsRecursive()) {
            for (Node n : g.nodes()) {
                if (n.graph() == g && isNoOp(n) && n.input(0) != null && Rewiring.bypass(n.output(0), n.input(0))) {
                    g.remove(n, true);
                    removed.merge(n.opType(), 1, Integer::sum);
                }
            }
        }
        return PassResult.of(removed.entrySet().stream().map(e -> "removed " + e.getValue() + " " + e.getKey()).toList());
    }

    static boolean isNoOp(Node n) {
        if (!n.normalizedDomain().isEmpty() || n.outputs().isEmpty() || n.output(0) == null) {
            return false;
        }
        return switch (n.opType()) {
            case "Identity" -> true;
            case "Dropout" -> dropoutInInference(n);
            case "Cast" -> castIsNoOp(n);
            case "Reshape" -> reshapeIsNoOp(n);
            default -> false;
        };
    }

    private static boolean dropoutInInference(Node n) {
        if (n.outputs().size() > 1 && n.output(1) != null && (!n.output(1).uses().isEmpty() || n.output(1).isGraphOutput())) {
            return false;
        }
        Value training = n.input(2);
        if (training == null) {
            return true;
        }
        Optional<Tensor> t = training.constantValue();
        return t.isPresent() && t.get().elementCount() == 1 && t.get().bytes().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0) == 0;
    }

    private static boolean castIsNoOp(Node n) {
        ValueType in = n.input(0).type();
        var to = n.attribute("to").map(a -> a.value());
        return in instanceof ValueType.TensorType t && t.elementType() != null && to.isPresent()
                && to.get() instanceof AttributeValue.IntValue iv && iv.value() == t.elementType().code();
    }

    private static boolean reshapeIsNoOp(Node n) {
        if (!(n.input(0).type() instanceof ValueType.TensorType t) || t.shape() == null || !t.shape().isStatic()) {
            return false;
        }
        Optional<Tensor> target = Rewiring.constant(n.input(1));
        if (target.isEmpty()) {
            return false;
        }
        long[] want = target.get().toLongArray();
        long[] have = t.shape().dims().stream().mapToLong(d -> ((dev.bantam.onnx.ir.Dim.Fixed) d).value()).toArray();
        return Arrays.equals(want, have) && Arrays.stream(want).allMatch(x -> x > 0);
    }
}
