package dev.bantam.compress.weightonly;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes block-quantized weights in standard ONNX: a blocked DequantizeLinear (opset 21) in front of the layer,
 * in the weight's own layout. Asymmetric blocks store uint4 (or uint8) codes and zero points; symmetric ones int4
 * (or int8) values with no zero point; 2- and 3-bit codes sit in 4-bit elements. ONNX Runtime fuses
 * DequantizeLinear (4-bit, axis 0, block size ≥ 16 a power of two, one consumer) into MatMul as MatMulNBits.
 */
final class BlockedDqWriter {

    private BlockedDqWriter() {
    }

    /**
     * The dequantized weight, inserted before {@code anchor}.
     *
     * @param transposed whether the weight is stored [n][k] (Gemm with transB) rather than [k][n]
     */
    static Value dequantize(Graph g, Node anchor, BlockQuantized q, boolean transposed, String base) {
        BlockFormat f = q.format();
        boolean wide = f.bits() > 4;
        DataType type = f.symmetric() ? (wide ? DataType.INT8 : DataType.INT4) : (wide ? DataType.UINT8 : DataType.UINT4);
        int containerBits = wide ? 8 : 4;
        int k = q.k();
        int n = q.n();
        int shift = f.symmetric() ? f.midpoint() : 0;
        long[] dims = transposed ? new long[] {n, k} : new long[] {k, n};
        long[] blockDims = transposed ? new long[] {n, q.blocks()} : new long[] {q.blocks(), n};
        byte[] data = new byte[Packing.bytes((long) k * n, containerBits)];
        Packing.pack(data, 0, k * n, containerBits, e -> transposed ? q.code(e / k, e % k) - shift
                : q.code(e % n, e / n) - shift);
        float[] scales = new float[n * q.blocks()];
        int[] zeros = new int[n * q.blocks()];
        for (int c = 0; c < n; c++) {
            for (int b = 0; b < q.blocks(); b++) {
                int at = transposed ? c * q.blocks() + b : b * n + c;
                scales[at] = q.scales()[c * q.blocks() + b];
                zeros[at] = q.zeros()[c * q.blocks() + b] & 0xff;
            }
        }
        List<Value> inputs = new ArrayList<>();
        inputs.add(g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_q" + f.bits()), type, dims,
                MemorySegment.ofArray(data))));
        inputs.add(g.addInitializer(Tensor.ofFloats(g.uniqueName(base + "_scales"), scales, blockDims)));
        if (!f.symmetric()) {
            byte[] z = new byte[Packing.bytes(zeros.length, containerBits)];
            Packing.pack(z, 0, zeros.length, containerBits, j -> zeros[j]);
            inputs.add(g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_zero_points"), type, blockDims,
                    MemorySegment.ofArray(z))));
        }
        Node dq = g.insertBefore(anchor, Node.of("DequantizeLinear", inputs, List.of(g.uniqueName(base + "_dequantized")),
                Attribute.ofInt("axis", transposed ? 1 : 0), Attribute.ofInt("block_size", f.blockSize())));
        dq.output(0).setType(ValueType.tensor(DataType.FLOAT, Shape.of(dims)));
        return dq.output(0);
    }
}
