package dev.bantam.compress.weightonly;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

/**
 * Writes block-quantized weights as ONNX Runtime's com.microsoft operators: MatMulNBits for MatMul and Gemm
 * (B uint8 [N, blocks, blockSize·bits/8], scales float [N·blocks], zero points uint8-packed
 * [N · ⌈blocks·bits/8⌉], omitted when symmetric so the kernel's midpoint applies), and GatherBlockQuantized for
 * embedding tables (data uint8 [V, D·bits/8] with the {@code bits} attribute, scales [V, D/blockSize], zero points
 * packed as one run over all rows).
 * Integer zero points only: float ones put MatMulNBits on a path that dequantizes B on every call.
 */
final class NBitsWriter {

    static final String MS = "com.microsoft";

    private NBitsWriter() {
    }

    /**
     * A MatMulNBits node computing {@code a · W (+ bias)}, inserted before {@code anchor}.
     *
     * @param bias a constant [N] vector, or null
     */
    static Node matMul(Graph g, Node anchor, Value a, BlockQuantized q, Value bias, int accuracyLevel, String base) {
        BlockFormat f = q.format();
        int blob = f.blockSize() * f.bits() / 8;
        // the codes' layout, [n][blocks · blockSize], is B's, and a column's codes fill whole bytes: one run
        byte[] b = Packing.packAll(q.codes(), f.bits());
        Value bv = g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_q" + f.bits()), DataType.UINT8,
                new long[] {q.n(), q.blocks(), blob}, MemorySegment.ofArray(b)));
        Value scales = g.addInitializer(Tensor.ofFloats(g.uniqueName(base + "_scales"), q.scales(),
                (long) q.n() * q.blocks()));
        Value zeros = null;
        if (!f.symmetric()) {
            int per = Packing.bytes(q.blocks(), f.bits());
            byte[] z = new byte[q.n() * per];
            for (int c = 0; c < q.n(); c++) {
                int col = c;
                Packing.pack(z, c * per, q.blocks(), f.bits(), j -> q.zeros()[col * q.blocks() + j]);
            }
            zeros = g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_zero_points"), DataType.UINT8,
                    new long[] {(long) q.n() * per}, MemorySegment.ofArray(z)));
        }
        // optional inputs: zero points (3), g_idx (4, never: it takes a slow path), bias (5); trailing ones left out
        List<Value> inputs = bias != null ? Arrays.asList(a, bv, scales, zeros, null, bias)
                : zeros != null ? List.of(a, bv, scales, zeros) : List.of(a, bv, scales);
        Node node = new Node(MS, "MatMulNBits", inputs, List.of(g.uniqueName(base + "_matmul_nbits")),
                List.of(Attribute.ofInt("K", q.k()), Attribute.ofInt("N", q.n()), Attribute.ofInt("bits", f.bits()),
                        Attribute.ofInt("block_size", f.blockSize()), Attribute.ofInt("accuracy_level", accuracyLevel)));
        return g.insertBefore(anchor, node);
    }

    /**
     * A GatherBlockQuantized node reading rows {@code indices} of the table {@code q} holds in column form (column =
     * table row, k = the row's width), inserted before {@code anchor}.
     */
    static Node gather(Graph g, Node anchor, Value indices, BlockQuantized q, String base) {
        BlockFormat f = q.format();
        int rowBytes = Packing.bytes(q.k(), f.bits());
        byte[] data = new byte[q.n() * rowBytes];
        for (int r = 0; r < q.n(); r++) {
            int row = r;
            Packing.pack(data, r * rowBytes, q.k(), f.bits(), j -> q.code(row, j));
        }
        Value dv = g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_q" + f.bits()), DataType.UINT8,
                new long[] {q.n(), rowBytes}, MemorySegment.ofArray(data)));
        Value scales = g.addInitializer(Tensor.ofFloats(g.uniqueName(base + "_scales"), q.scales(), q.n(), q.blocks()));
        List<Value> inputs;
        if (!f.symmetric()) {
            // unlike MatMulNBits' zero points, GatherBlockQuantized's are read as one run over all rows, not padded
            // per row (a test with 3 blocks per row holds this); the shape is still [V, ⌈blocks·bits/8⌉]
            int per = Packing.bytes(q.blocks(), f.bits());
            byte[] z = new byte[q.n() * per];
            Packing.pack(z, 0, q.n() * q.blocks(), f.bits(), j -> q.zeros()[j]);
            Value zv = g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_zero_points"), DataType.UINT8,
                    new long[] {q.n(), per}, MemorySegment.ofArray(z)));
            inputs = List.of(dv, indices, scales, zv);
        } else {
            inputs = List.of(dv, indices, scales);
        }
        Node node = new Node(MS, "GatherBlockQuantized", inputs, List.of(g.uniqueName(base + "_gather_bq")),
                List.of(Attribute.ofInt("gather_axis", 0), Attribute.ofInt("quantize_axis", 1),
                        Attribute.ofInt("block_size", f.blockSize()), Attribute.ofInt("bits", f.bits())));
        return g.insertBefore(anchor, node);
    }
}
