package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import java.util.Optional;

/** Small matchers the fusion rules share. */
final class Patterns {

    private Patterns() {
    }

    /** The producer of {@code v} if it is {@code op} of the default domain and {@code v} feeds only {@code user}. */
    static Node producedBy(Value v, String op, Node user) {
        if (v == null || v.producer() == null || !v.producer().isStandard(op) || Rewiring.soleUser(v) != user) {
            return null;
        }
        return v.producer();
    }

    /** A float32 scalar constant (any rank, one element). */
    static Optional<Float> scalar(Value v) {
        Optional<Tensor> t = Rewiring.constant(v);
        if (t.isEmpty() || t.get().dataType() != DataType.FLOAT || t.get().elementCount() != 1) {
            return Optional.empty();
        }
        return Optional.of(t.get().toFloatArray()[0]);
    }

    static boolean isScalar(Value v, double value, double tolerance) {
        return scalar(v).filter(x -> Math.abs(x - value) <= tolerance).isPresent();
    }

    /** The other input of a two-input node, given one of them; null when {@code one} is not an input. */
    static Value other(Node n, Value one) {
        if (n.input(0) == one) {
            return n.input(1);
        }
        return n.input(1) == one ? n.input(0) : null;
    }

    /** ReduceMean over the last axis only, keeping dimensions (axes as attribute or, from opset 18, input). */
    static boolean reducesLastAxis(Node n) {
        if (n.attribute("keepdims").map(a -> ((AttributeValue.IntValue) a.value()).value()).orElse(1L) != 1) {
            return false;
        }
        long[] axes = n.attribute("axes").map(a -> ((AttributeValue.IntsValue) a.value()).value())
                .orElseGet(() -> n.input(1) == null ? null
                        : Rewiring.constant(n.input(1)).map(Tensor::toLongArray).orElse(null));
        return axes != null && axes.length == 1 && axes[0] == -1;
    }
}
