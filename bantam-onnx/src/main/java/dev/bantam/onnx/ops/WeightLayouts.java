package dev.bantam.onnx.ops;

import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import java.util.Optional;
import java.util.Set;

/**
 * The one table of weighted operators: for a node, where its weight is and how it is laid out. Standard-domain
 * Conv and ConvTranspose (weight of rank 3 or more), Gemm with a constant 2-D B, MatMul with a constant operand
 * (the right one when both are) and Gather along axis 0 from a constant 2-D table have a layout; everything
 * else, and a weight that is not a constant, has none. Attributes a technique may not support (Gemm's transA,
 * alpha, beta) are the technique's to check.
 */
public final class WeightLayouts {

    /** Operators that can carry a weight. */
    public static final Set<String> OPERATORS = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul", "Gather");

    private WeightLayouts() {
    }

    /** The node's weight layout, when it is one of the table's operators and its weight is a constant. */
    public static Optional<WeightLayout> of(Node n) {
        if (!n.normalizedDomain().isEmpty() || !OPERATORS.contains(n.opType()) || n.inputs().size() < 2) {
            return Optional.empty();
        }
        return switch (n.opType()) {
            case "Conv" -> conv(n, WeightLayout.Kind.CONV, 0, 1);
            case "ConvTranspose" -> conv(n, WeightLayout.Kind.CONV_TRANSPOSE, 1, 0);
            case "Gemm" -> gemm(n);
            case "MatMul" -> matMul(n);
            default -> embedding(n);
        };
    }

    /** The weight tensor of a node with a layout. */
    public static Optional<Tensor> weight(Node n) {
        return of(n).flatMap(l -> l.weight(n));
    }

    private static Optional<WeightLayout> conv(Node n, WeightLayout.Kind kind, int out, int in) {
        Optional<Tensor> w = constant(n, 1);
        if (w.isEmpty() || w.get().rank() < 3) {
            return Optional.empty();
        }
        return Optional.of(new WeightLayout(kind, 1, 0, out, in, (int) n.intAttribute("group", 1), 2, w.get().rank()));
    }

    private static Optional<WeightLayout> gemm(Node n) {
        Optional<Tensor> w = constant(n, 1);
        if (w.isEmpty() || w.get().rank() != 2) {
            return Optional.empty();
        }
        boolean transB = n.intAttribute("transB", 0) == 1;
        return Optional.of(new WeightLayout(WeightLayout.Kind.GEMM, 1, 0, transB ? 0 : 1, transB ? 1 : 0, 1, 2, 2));
    }

    private static Optional<WeightLayout> matMul(Node n) {
        Optional<Tensor> right = constant(n, 1);
        Optional<Tensor> left = constant(n, 0);
        if (right.isEmpty() && left.isEmpty()) {
            return Optional.empty(); // a product of two activations (attention scores)
        }
        if (right.isPresent()) {
            int r = right.get().rank();
            return r < 2 ? Optional.empty()
                    : Optional.of(new WeightLayout(WeightLayout.Kind.MATMUL, 1, 0, r - 1, r - 2, 1, -1, r));
        }
        int r = left.get().rank();
        return r < 2 ? Optional.empty()
                : Optional.of(new WeightLayout(WeightLayout.Kind.MATMUL_LEFT, 0, 1, r - 2, r - 1, 1, -1, r));
    }

    private static Optional<WeightLayout> embedding(Node n) {
        Optional<Tensor> w = constant(n, 0);
        if (w.isEmpty() || w.get().rank() != 2 || n.intAttribute("axis", 0) != 0) {
            return Optional.empty();
        }
        return Optional.of(new WeightLayout(WeightLayout.Kind.EMBEDDING, 0, 1, 1, -1, 1, -1, 2));
    }

    /**
     * The weights of a recurrent layer (LSTM 4 gates, GRU 3, RNN 1): W at input 1, laid out [directions,
     * gates x hidden, input], and R at input 2, [directions, gates x hidden, hidden]; a row is one output channel of
     * one gate. Empty when the node is not one, or either weight is not a constant of rank 3.
     */
    public static Optional<RecurrentWeights> recurrent(Node n) {
        if (!n.normalizedDomain().isEmpty() || !RECURRENT_GATES.containsKey(n.opType())) {
            return Optional.empty();
        }
        Optional<Tensor> w = constant(n, 1);
        Optional<Tensor> r = constant(n, 2);
        if (w.isEmpty() || r.isEmpty() || w.get().rank() != 3 || r.get().rank() != 3) {
            return Optional.empty();
        }
        return Optional.of(new RecurrentWeights(w.get(), r.get(), RECURRENT_GATES.get(n.opType())));
    }

    /** A recurrent layer's weights (see {@link #recurrent}). */
    public record RecurrentWeights(Tensor w, Tensor r, int gates) {

        public static final int W_INPUT = 1;
        public static final int R_INPUT = 2;

        public int directions() {
            return (int) w.dim(0);
        }
    }

    private static final java.util.Map<String, Integer> RECURRENT_GATES = java.util.Map.of("LSTM", 4, "GRU", 3, "RNN", 1);

    private static Optional<Tensor> constant(Node n, int input) {
        Value v = n.inputs().size() > input ? n.input(input) : null;
        return v == null ? Optional.empty() : v.constantValue();
    }
}
