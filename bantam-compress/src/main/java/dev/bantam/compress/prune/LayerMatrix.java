package dev.bantam.compress.prune;

import dev.bantam.compress.stats.PatchGram;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import java.util.Optional;

/**
 * A weighted layer's weight seen as a K × N matrix, K its reduction (input features: a Gemm's or MatMul's inputs, a
 * convolution's C·kh·kw patch values), N its outputs, whatever its own layout; and back.
 *
 * @param geometry a convolution's patch geometry (null for Gemm and MatMul)
 */
record LayerMatrix(Node node, int k, int n, PatchGram.Geometry geometry) {

    /** The matrix view of a layer with a constant float weight, when the layer is one unstructured pruning handles. */
    static Optional<LayerMatrix> of(Node node) {
        Optional<Tensor> w = node.inputs().size() > 1 && node.input(1) != null ? node.input(1).constantValue()
                : Optional.empty();
        if (w.isEmpty() || w.get().dataType() != DataType.FLOAT) {
            return Optional.empty();
        }
        long[] d = w.get().dims();
        return switch (node.opType()) {
            case "Conv" -> {
                PatchGram.Geometry g = PatchGram.Geometry.of(node, w.get());
                yield g == null ? Optional.empty() : Optional.of(new LayerMatrix(node, (int) (d[1] * d[2] * d[3]),
                        (int) d[0], g));
            }
            case "Gemm" -> d.length != 2 || node.intAttribute("transA", 0) != 0 ? Optional.empty()
                    : node.intAttribute("transB", 0) == 1 ? Optional.of(new LayerMatrix(node, (int) d[1], (int) d[0], null))
                    : Optional.of(new LayerMatrix(node, (int) d[0], (int) d[1], null));
            case "MatMul" -> d.length != 2 ? Optional.empty() : Optional.of(new LayerMatrix(node, (int) d[0], (int) d[1], null));
            default -> Optional.empty();
        };
    }

    /** Whether the weight is stored N × K (a Conv's [M, C, kh, kw], a Gemm with transB). */
    private boolean outputsFirst() {
        return geometry != null || node.isStandard("Gemm") && node.intAttribute("transB", 0) == 1;
    }

    /** The weight as [K][N], row-major, in double. */
    double[] read() {
        return read(node.input(1).constantValue().orElseThrow().toFloatArray());
    }

    /** Values {@code w} in the weight's own layout as [K][N], row-major, in double. */
    double[] read(float[] w) {
        double[] out = new double[k * n];
        boolean transposed = outputsFirst();
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = w[transposed ? j * k + i : i * n + j];
            }
        }
        return out;
    }

    /** A [K][N] matrix back in the weight's own layout. */
    float[] layout(double[] kn) {
        float[] w = new float[k * n];
        boolean transposed = outputsFirst();
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < n; j++) {
                w[transposed ? j * k + i : i * n + j] = (float) kn[i * n + j];
            }
        }
        return w;
    }
}
