package dev.bantam.compress.quantize;

import dev.bantam.compress.Granularity;
import dev.bantam.compress.Sqnr;
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
import java.util.Arrays;
import java.util.List;

/**
 * Embedding tables read by Gather: symmetric 8-bit with one scale per row (kept as float16 to keep the file
 * small) or one for the table, rebuilt as {@code Cast(W_q) [- 128] * Cast(scales)} in front of the Gather.
 * Every input is constant, so ONNX Runtime folds the rebuild once at load and the Gather reads a float table,
 * as with the usual DequantizeLinear. Tables are never multiplied in integer arithmetic, so they keep all 8
 * bits whatever the weights' reduced range.
 */
final class EmbeddingQuantizer {

    private EmbeddingQuantizer() {
    }

    static QuantizedTensor quantize(Graph g, Node gather, Tensor w, boolean perRow, QuantType type) {
        return quantize(g, gather, w, perRow, type, WeightCache.NONE);
    }

    /** The table quantized, its half-precision scales (as bits and as floats), and the SQNR of the result. */
    private record Table(ChannelQuantizer.Result q, short[] half, float[] rounded, double sqnrDb) {
    }

    static QuantizedTensor quantize(Graph g, Node gather, Tensor w, boolean perRow, QuantType type, WeightCache cache) {
        int rows = (int) w.dim(0);
        String base = gather.input(0).name();
        Table t = cache.get(w, "table " + perRow + " " + type, () -> table(w, perRow, type));
        ChannelQuantizer.Result q = t.q();
        float[] rounded = t.rounded();
        MemorySegment half = MemorySegment.ofArray(new short[t.half().length]);
        for (int r = 0; r < t.half().length; r++) {
            half.setAtIndex(Tensor.SHORT_LE, r, t.half()[r]);
        }
        Value wq = g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_quantized"), type.dataType(), w.dims(),
                MemorySegment.ofArray(q.values())));
        Value sv = g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_scale"), DataType.FLOAT16,
                perRow ? new long[] {rows, 1} : new long[0], half));
        Node castQ = g.insertBefore(gather, Node.of("Cast", List.of(wq),
                List.of(g.uniqueName(base + "_" + type.label() + "_as_float")), Attribute.ofInt("to", DataType.FLOAT.code())));
        Value centred = castQ.output(0);
        if (q.zeroPoint() != 0) {
            Value zp = g.addInitializer(Tensor.ofFloats(g.uniqueName(base + "_zero_point"), new float[] {q.zeroPoint()}));
            centred = g.insertBefore(gather, Node.of("Sub", List.of(centred, zp),
                    List.of(g.uniqueName(base + "_centred")))).output(0);
        }
        Node castS = g.insertBefore(gather, Node.of("Cast", List.of(sv), List.of(g.uniqueName(base + "_scale_float")),
                Attribute.ofInt("to", DataType.FLOAT.code())));
        Node table = g.insertBefore(gather, Node.of("Mul", List.of(centred, castS.output(0)),
                List.of(g.uniqueName(base + "_dequantized"))));
        table.output(0).setType(ValueType.tensor(DataType.FLOAT, Shape.of(w.dims())));
        gather.replaceInput(0, table.output(0));
        QuantScheme scheme = new QuantScheme(type.dataType(), 8, true, perRow ? Granularity.PER_CHANNEL
                : Granularity.PER_TENSOR, perRow ? 0 : -1, DataType.FLOAT16, null, null, null);
        return QuantizedTensor.constant(TensorKind.WEIGHT, gather.displayName(), "Gather", base,
                new ArrayList<>(Arrays.stream(w.dims()).boxed().toList()), scheme, rounded, perRow ? null : q.zeroPoint(),
                t.sqnrDb());
    }

    private static Table table(Tensor w, boolean perRow, QuantType type) {
        int cols = (int) w.dim(1);
        float[] wf = w.toFloatArray();
        ChannelQuantizer.Result q = ChannelQuantizer.quantize(wf, w.dims(), perRow ? 0 : -1, 127, type);
        float[] rounded = q.scales().clone();
        short[] half = new short[rounded.length];
        for (int r = 0; r < rounded.length; r++) {
            half[r] = Float.floatToFloat16(rounded[r]);
            rounded[r] = Float.float16ToFloat(half[r]);
        }
        Sqnr sqnr = new Sqnr();
        byte[] values = q.values();
        for (int i = 0; i < wf.length; i++) {
            int v = type == QuantType.INT8 ? values[i] : (values[i] & 0xff) - q.zeroPoint();
            sqnr.add(wf[i], v * (double) rounded[perRow ? i / cols : 0]);
        }
        return new Table(q, half, rounded, sqnr.db());
    }
}
