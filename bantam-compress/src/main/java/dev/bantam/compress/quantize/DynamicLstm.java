package dev.bantam.compress.quantize;

import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ops.WeightLayouts.RecurrentWeights;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Dynamic INT8 LSTM as ONNX Runtime's com.microsoft DynamicQuantizeLSTM: the input and the hidden state are
 * quantized at run time and multiplied with W and R quantized now. The weights are symmetric, one scale per gate row
 * (or one per direction), and stored transposed, [directions, input, 4 x hidden] and [directions, hidden,
 * 4 x hidden], the layout the kernel packs; biases, peepholes and states stay float. Inputs 0 and 3 to 7 and the
 * attributes carry over unchanged.
 */
final class DynamicLstm {

    static final String MS = "com.microsoft";
    /** LSTM's attributes that DynamicQuantizeLSTM takes (not layout: only batch-second LSTMs are converted). */
    private static final java.util.Set<String> ATTRIBUTES = java.util.Set.of("activation_alpha", "activation_beta",
            "activations", "clip", "direction", "hidden_size", "input_forget");

    private record Quantized(Value values, Value scale, Value zeroPoint, QuantizedTensor report) {
    }

    private DynamicLstm() {
    }

    /** Replaces the LSTM {@code n} by a DynamicQuantizeLSTM in its graph; reports W and R. */
    static List<QuantizedTensor> quantize(Node n, RecurrentWeights rw, DynamicQuantizeConfig config) {
        Graph g = n.graph();
        Quantized w = weight(g, n, rw, rw.w(), RecurrentWeights.W_INPUT, config);
        Quantized r = weight(g, n, rw, rw.r(), RecurrentWeights.R_INPUT, config);
        List<Value> inputs = new ArrayList<>(List.of(n.input(0), w.values(), r.values()));
        for (int i = 3; i < 8; i++) {
            inputs.add(n.inputs().size() > i ? n.input(i) : null);
        }
        inputs.addAll(List.of(w.scale(), w.zeroPoint(), r.scale(), r.zeroPoint()));
        List<String> outs = new ArrayList<>();
        for (Value o : n.outputs()) {
            outs.add(o == null ? "" : g.uniqueName(o.name() + "_int8"));
        }
        List<dev.bantam.onnx.ir.Attribute> attrs = n.attributes().stream().filter(a -> ATTRIBUTES.contains(a.name())).toList();
        Node q = g.insertBefore(n, new Node(MS, "DynamicQuantizeLSTM", inputs, outs, attrs));
        q.setName(n.name() == null || n.name().isEmpty() ? "" : g.uniqueName(n.name() + "_quant"));
        for (int i = 0; i < n.outputs().size(); i++) {
            Value o = n.output(i);
            if (o != null) {
                q.output(i).setType(o.type());
                o.replaceKeepingOutputName(q.output(i), "_float");
            }
        }
        g.remove(n, true);
        return List.of(w.report(), r.report());
    }

    private static Quantized weight(Graph g, Node n, RecurrentWeights rw, Tensor t, int input,
                                    DynamicQuantizeConfig config) {
        int dirs = rw.directions();
        int rows = (int) t.dim(1);
        int cols = (int) t.dim(2);
        boolean perRow = config.perChannel();
        QuantType type = config.weights().signed() ? QuantType.INT8 : QuantType.UINT8;
        ChannelQuantizer.Result q = ChannelQuantizer.quantize(t.toFloatArray(), new long[] {(long) dirs * rows, cols},
                perRow ? 0 : -1, config.weights().symmetricMax(), type);
        byte[] transposed = new byte[q.values().length];
        for (int d = 0; d < dirs; d++) {
            int base = d * rows * cols;
            for (int i = 0; i < rows; i++) {
                for (int k = 0; k < cols; k++) {
                    transposed[base + k * rows + i] = q.values()[base + i * cols + k];
                }
            }
        }
        String name = n.input(input).name();
        Value values = g.addInitializer(Tensor.ofBytes(g.uniqueName(name + "_quantized"), type.dataType(),
                new long[] {dirs, cols, rows}, MemorySegment.ofArray(transposed)));
        long[] paramDims = perRow ? new long[] {dirs, rows} : new long[] {dirs};
        float[] scales = perRow ? q.scales() : repeat(q.scales()[0], dirs);
        byte[] zeros = new byte[scales.length];
        Arrays.fill(zeros, (byte) q.zeroPoint());
        Value scale = g.addInitializer(Tensor.ofFloats(g.uniqueName(name + "_scale"), scales, paramDims));
        Value zeroPoint = g.addInitializer(Tensor.ofBytes(g.uniqueName(name + "_zero_point"), type.dataType(), paramDims,
                MemorySegment.ofArray(zeros)));
        QuantScheme scheme = QuantScheme.constant(type.dataType(), config.weights().bits(), perRow ? 1 : -1);
        QuantizedTensor report = QuantizedTensor.constant(TensorKind.WEIGHT, n.displayName(), n.opType(), name,
                Arrays.stream(t.dims()).boxed().toList(), scheme, q.scales(), perRow ? null : q.zeroPoint(), q.sqnrDb());
        return new Quantized(values, scale, zeroPoint, report);
    }

    private static float[] repeat(float v, int n) {
        float[] out = new float[n];
        Arrays.fill(out, v);
        return out;
    }
}
