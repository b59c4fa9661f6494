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
 * Writes block-quantized weights as constants that standard operators decode into the float weight: packed codes
 * (2, 4 or 8 bits, in planes: byte j holds in field f the code of element f·bytes + j) cut out with {@code Div} and
 * {@code Mod}, joined with {@code Concat}, then {@code (q − zero) · scale} per block, trimmed and laid out as the
 * layer reads it. Every input is constant, so ONNX Runtime folds the chain once when it loads the model: the file
 * is as small as MatMulNBits', while memory and speed at run time are those of float32 (on CPUs where ONNX
 * Runtime's 4-bit kernels are slower than its float ones, as measured in bench/weight-only).
 */
final class LoadDecodeWriter {

    private final Graph g;
    private final Node anchor;
    private final String base;

    private LoadDecodeWriter(Graph g, Node anchor, String base) {
        this.g = g;
        this.anchor = anchor;
        this.base = base;
    }

    /**
     * The decoded weight, [k][n] or (transposed) [n][k], inserted before {@code anchor}.
     *
     * @param transposed the layer reads the weight [n][k] (Gemm with transB, tables)
     */
    static Value dequantize(Graph g, Node anchor, BlockQuantized q, boolean transposed, String base) {
        return new LoadDecodeWriter(g, anchor, base).decode(q, transposed);
    }

    private Value decode(BlockQuantized q, boolean transposed) {
        BlockFormat f = q.format();
        int bits = f.bits() == 3 ? 4 : f.bits();
        int perByte = 8 / bits;
        int count = q.n() * q.paddedK();
        int bytes = (count + perByte - 1) / perByte;
        byte[] packed = new byte[bytes];
        for (int i = 0; i < count; i++) {
            packed[i % bytes] |= (byte) ((q.codes()[i] & 0xff) << ((i / bytes) * bits));
        }
        Value codes = g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_q" + f.bits()), DataType.UINT8,
                new long[] {bytes}, MemorySegment.ofArray(packed)));
        Value flat = node("Cast", List.of(codes), "_i", Attribute.ofInt("to", DataType.INT32.code()));
        if (perByte > 1) {
            List<Value> planes = new ArrayList<>();
            for (int p = 0; p < perByte; p++) {
                Value shifted = p == 0 ? flat : node("Div", List.of(flat, ints("_div" + p, 1 << (p * bits))), "_d" + p);
                planes.add(p == perByte - 1 ? shifted : node("Mod", List.of(shifted, ints("_mod", 1 << bits)), "_m" + p));
            }
            flat = node("Concat", planes, "_p", Attribute.ofInt("axis", 0));
            if ((long) bytes * perByte != count) {
                flat = node("Slice", List.of(flat, longs("_start", 0), longs("_end", count)), "_s");
            }
        }
        Value asFloat = node("Cast", List.of(flat), "_f", Attribute.ofInt("to", DataType.FLOAT.code()));
        long[] blocked = {q.n(), q.blocks(), f.blockSize()};
        Value shaped = node("Reshape", List.of(asFloat, longs("_blocked", blocked)), "_b");
        Value zeros = g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_zero_points"), DataType.UINT8,
                new long[] {q.n(), q.blocks(), 1}, MemorySegment.ofArray(q.zeros().clone())));
        Value zf = node("Cast", List.of(zeros), "_zf", Attribute.ofInt("to", DataType.FLOAT.code()));
        Value centred = node("Sub", List.of(shaped, zf), "_c");
        Value scales = g.addInitializer(Tensor.ofFloats(g.uniqueName(base + "_scales"), q.scales(), q.n(), q.blocks(), 1));
        Value scaled = node("Mul", List.of(centred, scales), "_x");
        Value w = node("Reshape", List.of(scaled, longs("_cols", q.n(), q.paddedK())), "_r");
        if (q.paddedK() != q.k()) {
            w = node("Slice", List.of(w, longs("_kstart", 0), longs("_kend", q.k()), longs("_kaxis", 1)), "_t");
        }
        if (!transposed) {
            w = node("Transpose", List.of(w), "_tr", Attribute.ofInts("perm", 1, 0));
        }
        w.setType(ValueType.tensor(DataType.FLOAT, transposed ? Shape.of(q.n(), q.k()) : Shape.of(q.k(), q.n())));
        return w;
    }

    private Value node(String op, List<Value> inputs, String suffix, Attribute... attrs) {
        return g.insertBefore(anchor, Node.of(op, inputs, List.of(g.uniqueName(base + suffix)), attrs)).output(0);
    }

    private Value ints(String suffix, int v) {
        return g.addInitializer(Tensor.ofBytes(g.uniqueName(base + suffix), DataType.INT32, new long[0],
                MemorySegment.ofArray(new int[] {v})));
    }

    private Value longs(String suffix, long... v) {
        return g.addInitializer(Tensor.ofLongs(g.uniqueName(base + suffix), v, v.length));
    }
}
