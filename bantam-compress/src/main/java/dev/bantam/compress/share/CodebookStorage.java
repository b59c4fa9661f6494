package dev.bantam.compress.share;

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
 * Stores a shared weight as a codebook and packed indices (2, 4 or 8 bits each), decoded in the graph by
 * standard operators on constants only: {@code Cast} to int32, the fields cut out with {@code Div} and {@code Mod},
 * joined with {@code Concat}, trimmed with {@code Slice}, offset per channel with {@code Add}, and looked up
 * with {@code Gather}. ONNX Runtime folds the whole chain when it loads the model, so the file
 * shrinks by the index width while the weight in memory is float32 again. Uniform levels take the same path:
 * as {@code DequantizeLinear} ONNX Runtime would not fold them (it keeps DequantizeLinear for its QDQ fusions)
 * and would decode the weight on every run, measured 3x slower on the fmnist ResNet at batch 8.
 */
final class CodebookStorage {

    private final Graph g;
    private final String base;
    /** A short prefix for the decoding values, which ONNX Runtime folds away: long names would cost file size. */
    private final String tmp;

    /** @param id distinguishes this weight's decoding values from the others' ({@code cb<id>_...}) */
    CodebookStorage(Graph g, String base, int id) {
        this.g = g;
        this.base = base;
        this.tmp = "cb" + id;
    }

    /** Bytes a codebook encoding of {@code elements} weights takes: codebooks, packed indices, channel offsets. */
    static long storedBytes(long elements, int channels, int levels) {
        int perByte = 8 / indexBits(levels);
        return (elements + perByte - 1) / perByte + channels * (levels * 4L + (channels > 1 ? 4 : 0));
    }

    /** Index bits for a codebook of {@code levels}: 2, 4 or 8. */
    static int indexBits(int levels) {
        return levels <= 4 ? 2 : levels <= 16 ? 4 : 8;
    }

    /**
     * The decoded weight, inserted before {@code before}. Indices are packed in planes: byte j holds, in its
     * field f, the index of element {@code f * bytes + j}, so decoding is one {@code Div}/{@code Mod} per field
     * and one {@code Concat} of the planes, with no interleaving.
     *
     * @param dims      the weight's shape
     * @param axis      the channel axis of per-channel codebooks; -1 for one codebook
     * @param codebooks levels of each codebook, one after the other (every codebook has {@code levels} entries)
     * @param index     per weight, its level in its codebook
     */
    Value gather(Node before, long[] dims, int axis, int levels, float[] codebooks, int[] index) {
        int bits = indexBits(levels);
        int perByte = 8 / bits;
        int n = index.length;
        int bytes = (n + perByte - 1) / perByte;
        byte[] packed = new byte[bytes];
        for (int i = 0; i < n; i++) {
            packed[i % bytes] |= (byte) (index[i] << ((i / bytes) * bits));
        }
        Value codes = g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_codes"), DataType.UINT8, new long[] {bytes},
                MemorySegment.ofArray(packed)));
        Value wide = node(before, "Cast", List.of(codes), "_i", Attribute.ofInt("to", DataType.INT32.code()));
        Value flat = wide;
        if (perByte > 1) {
            List<Value> planes = new ArrayList<>();
            for (int f = 0; f < perByte; f++) {
                Value shifted = f == 0 ? wide : node(before, "Div", List.of(wide, shared(1 << (f * bits))), "_d" + f);
                planes.add(f == perByte - 1 ? shifted : node(before, "Mod", List.of(shifted, shared(1 << bits)), "_m" + f));
            }
            flat = node(before, "Concat", planes, "_p", Attribute.ofInt("axis", 0));
            if ((long) bytes * perByte != n) {
                flat = node(before, "Slice", List.of(flat, sharedLongs(0), longs("_n", n)), "_s");
            }
        }
        Value shaped = node(before, "Reshape", List.of(flat, longs("_dims", dims)), "_r");
        if (axis >= 0) {
            long[] od = new long[dims.length];
            java.util.Arrays.fill(od, 1);
            od[axis] = dims[axis];
            int[] offsets = new int[(int) dims[axis]];
            for (int c = 0; c < offsets.length; c++) {
                offsets[c] = c * levels;
            }
            Value off = g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_offsets"), DataType.INT32, od,
                    MemorySegment.ofArray(offsets)));
            shaped = node(before, "Add", List.of(shaped, off), "_o");
        }
        Value book = g.addInitializer(Tensor.ofFloats(g.uniqueName(base + "_codebook"), codebooks, codebooks.length));
        Value w = node(before, "Gather", List.of(book, shaped), "_shared", Attribute.ofInt("axis", 0));
        w.setType(ValueType.tensor(DataType.FLOAT, Shape.of(dims)));
        return w;
    }

    /**
     * Per-block scales on decoded normalized values: {@code Reshape(w, blocked) * scales}, back to the weight's
     * shape. {@code blocked} puts each block on an axis of its own and {@code scaleShape} broadcasts one scale over
     * it.
     */
    Value scaleBlocks(Node before, Value normalized, long[] dims, long[] blocked, float[] scales, long[] scaleShape) {
        Value b = node(before, "Reshape", List.of(normalized, longs("_blocked", blocked)), "_b");
        Value s = g.addInitializer(Tensor.ofFloats(g.uniqueName(base + "_block_scales"), scales, scaleShape));
        Value scaled = node(before, "Mul", List.of(b, s), "_x");
        Value w = node(before, "Reshape", List.of(scaled, longs("_dims_out", dims)), "_shared");
        w.setType(ValueType.tensor(DataType.FLOAT, Shape.of(dims)));
        return w;
    }

    private Value node(Node before, String op, List<Value> inputs, String suffix, Attribute... attrs) {
        String name = suffix.equals("_shared") || suffix.equals("_dequantized") ? base + suffix : tmp + suffix;
        return g.insertBefore(before, Node.of(op, inputs, List.of(g.uniqueName(name)), attrs)).output(0);
    }

    /** An int32 scalar, one initializer per value for every weight of the graph. */
    private Value shared(int v) {
        String name = "bantam_int32_" + v;
        Value existing = g.initializer(name);
        return existing != null ? existing : g.addInitializer(Tensor.ofBytes(g.uniqueName(name), DataType.INT32,
                new long[0], MemorySegment.ofArray(new int[] {v})));
    }

    /** A 1-element int64 vector shared by every weight of the graph. */
    private Value sharedLongs(long v) {
        String name = "bantam_int64_" + v;
        Value existing = g.initializer(name);
        return existing != null ? existing : g.addInitializer(Tensor.ofLongs(g.uniqueName(name), new long[] {v}, 1));
    }

    private Value longs(String suffix, long... v) {
        return g.addInitializer(Tensor.ofLongs(g.uniqueName(tmp + suffix), v, v.length));
    }
}
