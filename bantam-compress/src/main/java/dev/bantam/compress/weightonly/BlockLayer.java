package dev.bantam.compress.weightonly;

import dev.bantam.compress.stats.PatchGram;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import java.util.Optional;

/**
 * A layer whose weight can be stored in blocks: a MatMul with a constant [K, N] right operand, a Gemm
 * (y = x·B + c, B constant [K, N] or [N, K] with transB, c a constant [N] or absent), a Conv with a constant
 * weight [O, C/group, kh, …] (each output channel's C/group·kh·… weights, in their own order, are its reduction
 * axis, as in im2col), or a Gather from a constant [V, D] table. {@code k} is the reduction axis's length (a
 * table's row width) and {@code n} the output channels (a table's rows).
 *
 * @param transposed the weight is stored [n][k] (Gemm with transB, Conv, and every table)
 * @param bias       Gemm's constant c, or null
 * @param geometry   a 2-D, ungrouped Conv's patches (for the patch Gram matrix the data-aware algorithms use),
 *                   else null
 */
record BlockLayer(Node node, Kind kind, Tensor weight, int k, int n, boolean transposed, Value bias,
                  PatchGram.Geometry geometry) {

    enum Kind { MATMUL, GEMM, CONV, GATHER }

    /** The layer {@code node} is, or why it is not one. */
    static Optional<BlockLayer> of(Node node, StringBuilder whyNot) {
        return switch (node.opType()) {
            case "MatMul" -> matMul(node, whyNot);
            case "Gemm" -> gemm(node, whyNot);
            case "Gather" -> gather(node, whyNot);
            case "Conv" -> conv(node, whyNot);
            default -> none(whyNot, "not a MatMul, Gemm, Conv or Gather");
        };
    }

    /** Whether the data-aware algorithms get a Gram matrix of this layer's inputs (not tables, not grouped Convs). */
    boolean hasGram() {
        return kind == Kind.MATMUL || kind == Kind.GEMM || geometry != null;
    }

    /** The key of this layer's input Gram matrix: the input's name, and for a Conv its patch geometry too. */
    String gramKey() {
        return geometry == null ? data().name() : data().name() + "#" + geometry;
    }

    /** The weights in column form, [n][k]: each output channel's (table row's) weights contiguous. */
    float[] columns() {
        float[] w = weight.toFloatArray();
        return transposed ? w : transpose(w, k, n);
    }

    /**
     * Columns {@code [c0, c1)} in column form, [(c1 − c0)][k], read straight from the weight's bytes (a slab: a
     * large weight is never copied whole, nor transposed whole).
     */
    float[] columns(int c0, int c1) {
        int count = c1 - c0;
        float[] out = new float[count * k]; // every layer's weight is float32 (see of)
        java.lang.foreign.MemorySegment b = weight.bytes();
        if (transposed) {
            java.lang.foreign.MemorySegment.copy(b, Tensor.FLOAT_LE, (long) c0 * k * 4, out, 0, count * k);
            return out;
        }
        float[] row = new float[count];
        for (int i = 0; i < k; i++) {
            java.lang.foreign.MemorySegment.copy(b, Tensor.FLOAT_LE, ((long) i * n + c0) * 4, row, 0, count);
            for (int c = 0; c < count; c++) {
                out[c * k + i] = row[c];
            }
        }
        return out;
    }

    /** The weights as rows of input channels, [k][n]. */
    float[] rows() {
        float[] w = weight.toFloatArray();
        return transposed ? transpose(w, n, k) : w;
    }

    /** The value the layer multiplies by its weight (for a table: the indices). */
    Value data() {
        return node.input(kind == Kind.GATHER ? 1 : 0);
    }

    int weightInput() {
        return kind == Kind.GATHER ? 0 : 1;
    }

    static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }

    private static Optional<BlockLayer> matMul(Node node, StringBuilder whyNot) {
        Tensor w = constantWeight(node, 1, whyNot);
        return w == null ? Optional.empty()
                : Optional.of(new BlockLayer(node, Kind.MATMUL, w, (int) w.dim(0), (int) w.dim(1), false, null, null));
    }

    private static Optional<BlockLayer> gemm(Node node, StringBuilder whyNot) {
        if (node.intAttribute("transA", 0) != 0 || node.floatAttribute("alpha", 1f) != 1f
                || node.floatAttribute("beta", 1f) != 1f) {
            return none(whyNot, "Gemm with transA, alpha or beta other than the defaults");
        }
        Tensor w = constantWeight(node, 1, whyNot);
        if (w == null) {
            return Optional.empty();
        }
        boolean t = node.intAttribute("transB", 0) != 0;
        int k = (int) w.dim(t ? 1 : 0);
        int n = (int) w.dim(t ? 0 : 1);
        Value c = node.input(2);
        if (c != null) {
            Optional<Tensor> cv = c.constantValue();
            if (cv.isEmpty() || cv.get().dataType() != DataType.FLOAT || cv.get().rank() != 1 || cv.get().dim(0) != n) {
                return none(whyNot, "Gemm whose C is not a constant float vector of the " + n + " outputs");
            }
        }
        return Optional.of(new BlockLayer(node, Kind.GEMM, w, k, n, t, c, null));
    }

    private static Optional<BlockLayer> gather(Node node, StringBuilder whyNot) {
        if (node.intAttribute("axis", 0) != 0) {
            return none(whyNot, "Gather along an axis other than 0");
        }
        Tensor w = constantWeight(node, 0, whyNot);
        return w == null ? Optional.empty()
                : Optional.of(new BlockLayer(node, Kind.GATHER, w, (int) w.dim(1), (int) w.dim(0), true, null, null));
    }

    private static Optional<BlockLayer> conv(Node node, StringBuilder whyNot) {
        Value v = node.input(1);
        Optional<Tensor> t = v == null ? Optional.empty() : v.constantValue();
        if (t.isEmpty() || t.get().dataType() != DataType.FLOAT || t.get().rank() < 3) {
            return none(whyNot, "no constant float32 Conv weight");
        }
        if (v.uses().size() > 1) {
            return none(whyNot, "its weight is read by " + v.uses().size() + " nodes");
        }
        Tensor w = t.get();
        int k = (int) (w.elementCount() / w.dim(0));
        return Optional.of(new BlockLayer(node, Kind.CONV, w, k, (int) w.dim(0), true, null, PatchGram.Geometry.of(node, w)));
    }

    private static Tensor constantWeight(Node node, int input, StringBuilder whyNot) {
        Value v = node.input(input);
        Optional<Tensor> t = v == null ? Optional.empty() : v.constantValue();
        if (t.isEmpty() || t.get().dataType() != DataType.FLOAT || t.get().rank() != 2) {
            whyNot.append("no constant 2-D float32 weight");
            return null;
        }
        if (v.uses().size() > 1) {
            whyNot.append("its weight is read by ").append(v.uses().size()).append(" nodes");
            return null;
        }
        return t.get();
    }

    private static Optional<BlockLayer> none(StringBuilder whyNot, String why) {
        whyNot.append(why);
        return Optional.empty();
    }
}
