package dev.bantam.onnx.ops;

import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * How a layer holds its weight: which input is the weight and which the data, which weight axis indexes the
 * layer's output channels (features), which indexes its input channels, the groups, and where the bias is.
 * Quantization (per-channel scales along {@link #outputAxis}), pruning (which slices go together) and
 * low-rank factorization (which axes form the matrix) all read this one description; {@link WeightLayouts}
 * is the table that makes it.
 *
 * @param kind        the layer family
 * @param weightInput index of the weight input
 * @param dataInput   index of the activation input (for embeddings: the indices)
 * @param outputAxis  weight axis of the output channels; for ConvTranspose the channels of one group
 * @param inputAxis   weight axis of the input channels (reduced in the product); -1 for embeddings
 * @param groups      convolution groups (1 elsewhere)
 * @param biasInput   index of the bias input, or -1 when the operator takes none
 * @param rank        the weight's rank
 */
public record WeightLayout(Kind kind, int weightInput, int dataInput, int outputAxis, int inputAxis, int groups,
                           int biasInput, int rank) {

    /** Layer families, each with its own weight layout. */
    public enum Kind {
        /** Conv: W [M, C/group, k1, k2, ...]; y = W * x + b. */
        CONV,
        /** ConvTranspose: W [C, M/group, k1, k2, ...]. */
        CONV_TRANSPOSE,
        /** Gemm with a constant B: W [K, N], or [N, K] with transB; y = x W + C. */
        GEMM,
        /** MatMul with a constant right operand: x [..., K] times W [..., K, N]. */
        MATMUL,
        /** MatMul with a constant left operand: W [..., M, K] times x [..., K, N]. */
        MATMUL_LEFT,
        /** Gather (axis 0) from a constant table: W [V, D], rows selected by the indices. */
        EMBEDDING
    }

    /** The weight tensor, when the weight input holds a constant (an initializer or a Constant node). */
    public Optional<Tensor> weight(Node node) {
        return node.inputs().size() > weightInput && node.input(weightInput) != null
                ? node.input(weightInput).constantValue() : Optional.empty();
    }

    /** Output channels of the whole layer: the output axis's size times the groups for ConvTranspose. */
    public long outputChannels(Tensor weight) {
        return weight.dim(outputAxis) * (kind == Kind.CONV_TRANSPOSE ? groups : 1);
    }

    /** The axes summed over in the layer's product: the input channels and the kernel's spatial axes. */
    public int[] reductionAxes() {
        return switch (kind) {
            case CONV -> IntStream.range(1, rank).toArray();
            case CONV_TRANSPOSE -> IntStream.range(0, rank).filter(a -> a != 1).toArray();
            case GEMM, MATMUL, MATMUL_LEFT -> new int[] {inputAxis};
            case EMBEDDING -> new int[0];
        };
    }

    /** Whether the layer's output channels are a matrix column (true) or row of the weight, for matrix kinds. */
    public boolean isMatrix() {
        return kind == Kind.GEMM || kind == Kind.MATMUL || kind == Kind.MATMUL_LEFT;
    }
}
