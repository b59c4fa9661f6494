package dev.bantam.compress.quantize;

import dev.bantam.compress.Granularity;
import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.ops.WeightLayouts.RecurrentWeights;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * GRU and RNN in 8 bits, weight-only: ONNX Runtime has no integer kernel for them (only LSTM's
 * DynamicQuantizeLSTM), so W and R are stored as symmetric int8 with one scale per gate row (or one per tensor) and
 * rebuilt in front of the node as {@code Cast(W_q) * scales}. Every input of the rebuild is constant, so ONNX Runtime
 * folds it once when it loads the model: the file holds a quarter of the weight bytes, the layer runs at float
 * speed on the rebuilt weights, and the outputs differ from float only by the weights' rounding.
 */
final class DecodedRecurrent {

    private DecodedRecurrent() {
    }

    /** Rebuilds W and R of the GRU or RNN {@code n} from int8; reports both. */
    static List<QuantizedTensor> quantize(Node n, RecurrentWeights rw, DynamicQuantizeConfig config) {
        List<QuantizedTensor> out = new ArrayList<>();
        out.add(decode(n, RecurrentWeights.W_INPUT, rw.w(), config));
        out.add(decode(n, RecurrentWeights.R_INPUT, rw.r(), config));
        return out;
    }

    private static QuantizedTensor decode(Node n, int input, Tensor w, DynamicQuantizeConfig config) {
        Graph g = n.graph();
        boolean perRow = config.weights().granularity() == Granularity.PER_CHANNEL;
        long[] dims = w.dims();
        int rows = (int) (dims[0] * dims[1]);
        long cols = dims[2];
        ChannelQuantizer.Result q = ChannelQuantizer.quantize(w.toFloatArray(), new long[] {rows, cols}, perRow ? 0 : -1,
                127, QuantType.INT8);
        String base = n.input(input).name();
        Value wq = g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_quantized"), DataType.INT8, dims,
                MemorySegment.ofArray(q.values())));
        long[] scaleDims = perRow ? new long[] {dims[0], dims[1], 1} : new long[0];
        Value scale = g.addInitializer(Tensor.ofFloats(g.uniqueName(base + "_scale"), q.scales(), scaleDims));
        Node cast = g.insertBefore(n, Node.of("Cast", List.of(wq), List.of(g.uniqueName(base + "_int8_as_float")),
                Attribute.ofInt("to", DataType.FLOAT.code())));
        cast.output(0).setType(ValueType.tensor(DataType.FLOAT, Shape.of(dims)));
        Node mul = g.insertBefore(n, Node.of("Mul", List.of(cast.output(0), scale),
                List.of(g.uniqueName(base + "_decoded"))));
        mul.output(0).setType(ValueType.tensor(DataType.FLOAT, Shape.of(dims)));
        n.replaceInput(input, mul.output(0));
        return QuantizedTensor.constant(TensorKind.WEIGHT, n.displayName(), n.opType(), base,
                Arrays.stream(dims).boxed().toList(), QuantScheme.constant(DataType.INT8, 8, perRow ? 1 : -1),
                q.scales(), perRow ? null : 0, q.sqnrDb());
    }
}
