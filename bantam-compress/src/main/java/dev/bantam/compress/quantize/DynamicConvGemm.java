package dev.bantam.compress.quantize;

import dev.bantam.compress.Granularity;
import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The graph edits of dynamic INT8. MatMul and Gemm (no transA, alpha = beta = 1; the weight laid out [K, N])
 * become {@code DynamicQuantizeLinear(x) -> MatMulInteger(x_q, W_q) -> Cast -> Mul(x_scale * w_scale) [-> Add(C)]};
 * Conv becomes {@code ConvInteger(x_q, W_q) -> Cast -> Mul(x_scale * w_scale[1, C, 1, ...]) [-> Add(bias)]} with
 * uint8 weights around zero point 128 (ONNX Runtime's ConvInteger takes uint8 x uint8: the values are those
 * of symmetric int8). An activation read by several layers is quantized once.
 */
final class DynamicConvGemm {

    private static final Set<String> CONV_ATTRS = Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");

    private final Graph g;
    private final DynamicQuantizeConfig config;
    private final Map<Value, Node> quantizedInputs = new java.util.HashMap<>();

    DynamicConvGemm(Graph g, DynamicQuantizeConfig config) {
        this.g = g;
        this.config = config;
    }

    private QuantType weightType() {
        return config.weights().signed() ? QuantType.INT8 : QuantType.UINT8;
    }

    QuantizedTensor matMul(Node mm, Tensor w) {
        return integerMatMul(mm, w.toFloatArray(), new long[] {w.dim(0), w.dim(1)}, null);
    }

    QuantizedTensor gemm(Node n, Tensor w) {
        boolean transB = n.intAttribute("transB", 0) == 1;
        int rows = (int) w.dim(transB ? 1 : 0);
        int cols = (int) w.dim(transB ? 0 : 1);
        float[] wf = w.toFloatArray();
        if (transB) {
            float[] t = new float[wf.length];
            for (int r = 0; r < cols; r++) {
                for (int k = 0; k < rows; k++) {
                    t[k * cols + r] = wf[r * rows + k];
                }
            }
            wf = t;
        }
        return integerMatMul(n, wf, new long[] {rows, cols}, n.inputs().size() > 2 ? n.input(2) : null);
    }

    /** x [.., K] times W [K, N] as MatMulInteger, the result scaled back to float (plus the bias). */
    private QuantizedTensor integerMatMul(Node n, float[] w, long[] dims, Value bias) {
        boolean perColumn = config.perChannel();
        QuantType type = weightType();
        ChannelQuantizer.Result q = ChannelQuantizer.quantize(w, dims, perColumn ? 1 : -1,
                config.weights().symmetricMax(), type);
        String base = n.input(1).name();
        Value wq = g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_quantized"), type.dataType(), dims,
                MemorySegment.ofArray(q.values())));
        Value ws = g.addInitializer(perColumn ? Tensor.ofFloats(g.uniqueName(base + "_scale"), q.scales(), dims[1])
                : Tensor.ofFloats(g.uniqueName(base + "_scale"), q.scales()));
        Node dql = quantizeInput(n);
        List<Value> inputs = new ArrayList<>(List.of(dql.output(0), wq, dql.output(2)));
        if (q.zeroPoint() != 0) {
            inputs.add(g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_zero_point"), type.dataType(), new long[0],
                    MemorySegment.ofArray(new byte[] {(byte) q.zeroPoint()}))));
        }
        Node mmi = g.insertBefore(n, Node.of("MatMulInteger", inputs, List.of(g.uniqueName(n.output(0).name() + "_int32"))));
        dequantizeResult(n, mmi, dql, ws, bias);
        QuantScheme scheme = QuantScheme.constant(type.dataType(), config.weights().bits(), perColumn ? 1 : -1);
        return QuantizedTensor.constant(TensorKind.WEIGHT, n.displayName(), n.opType(), base, List.of(dims[0], dims[1]),
                scheme, q.scales(), perColumn ? null : q.zeroPoint(), q.sqnrDb());
    }

    QuantizedTensor conv(Node n, Tensor w) {
        boolean perChannel = config.perChannel();
        ChannelQuantizer.Result q = ChannelQuantizer.quantize(w.toFloatArray(), w.dims(), perChannel ? 0 : -1,
                config.weights().symmetricMax(), QuantType.UINT8);
        String base = n.input(1).name();
        Value wq = g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_quantized"), DataType.UINT8, w.dims(),
                MemorySegment.ofArray(q.values())));
        Value wz = g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_zero_point"), DataType.UINT8, new long[0],
                MemorySegment.ofArray(new byte[] {(byte) q.zeroPoint()})));
        long[] scaleDims = new long[w.rank()];
        Arrays.fill(scaleDims, 1);
        scaleDims[1] = q.scales().length; // [1, C, 1, ...] broadcasts over the output's channels
        Value ws = g.addInitializer(Tensor.ofFloats(g.uniqueName(base + "_scale"), q.scales(), scaleDims));
        Node dql = quantizeInput(n);
        List<Attribute> attrs = new ArrayList<>(n.attributes().stream().filter(a -> CONV_ATTRS.contains(a.name())).toList());
        Node ci = g.insertBefore(n, new Node("", "ConvInteger", List.of(dql.output(0), wq, dql.output(2), wz),
                List.of(g.uniqueName(n.output(0).name() + "_int32")), attrs));
        Value bias = null;
        if (n.inputs().size() > 2 && n.input(2) != null) {
            Tensor b = n.input(2).constantValue().orElseThrow(() -> new IllegalArgumentException(n.displayName()
                    + ": a Conv bias that is not constant is not supported by dynamic quantization"));
            long[] bd = scaleDims.clone();
            bd[1] = b.elementCount();
            bias = g.addInitializer(Tensor.ofFloats(g.uniqueName(n.input(2).name() + "_broadcast"), b.toFloatArray(), bd));
        }
        dequantizeResult(n, ci, dql, ws, bias);
        QuantScheme scheme = new QuantScheme(DataType.UINT8, config.weights().bits(), true,
                perChannel ? Granularity.PER_CHANNEL : Granularity.PER_TENSOR, perChannel ? 0 : -1, DataType.FLOAT,
                null, null, null);
        return QuantizedTensor.constant(TensorKind.WEIGHT, n.displayName(), "Conv", base,
                Arrays.stream(w.dims()).boxed().toList(), scheme, q.scales(), q.zeroPoint(), q.sqnrDb());
    }

    /** The activation's DynamicQuantizeLinear, shared by every node that reads the same activation. */
    private Node quantizeInput(Node n) {
        return quantizedInputs.computeIfAbsent(n.input(0), x -> {
            Node d = Node.of("DynamicQuantizeLinear", List.of(x), List.of(g.uniqueName(x.name() + "_quantized"),
                    g.uniqueName(x.name() + "_scale"), g.uniqueName(x.name() + "_zero_point")));
            g.insertBefore(n, d);
            return d;
        });
    }

    /** int32 result -> float, times input scale x weight scale(s), plus the bias when given; replaces n. */
    private void dequantizeResult(Node n, Node integer, Node dql, Value weightScale, Value bias) {
        String out = n.output(0).name();
        Node cast = g.insertBefore(n, Node.of("Cast", List.of(integer.output(0)), List.of(g.uniqueName(out + "_float")),
                Attribute.ofInt("to", DataType.FLOAT.code())));
        Node scale = g.insertBefore(n, Node.of("Mul", List.of(dql.output(1), weightScale), List.of(g.uniqueName(out + "_scale"))));
        Node y = g.insertBefore(n, Node.of("Mul", List.of(cast.output(0), scale.output(0)),
                List.of(g.uniqueName(out + "_dequantized"))));
        if (bias != null) {
            y = g.insertBefore(n, Node.of("Add", List.of(y.output(0), bias), List.of(g.uniqueName(out + "_biased"))));
        }
        y.output(0).setType(n.output(0).type());
        n.output(0).replaceKeepingOutputName(y.output(0), "_float");
        g.remove(n, true);
    }
}
