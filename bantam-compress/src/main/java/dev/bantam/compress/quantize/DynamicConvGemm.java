package dev.bantam.compress.quantize;

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
import java.util.Optional;
import java.util.Set;

/**
 * Dynamic INT8 for Conv and Gemm. Gemm (no transA, alpha = beta = 1) becomes the MatMul form
 * {@code MatMulInteger(x_q, W_q) -> Cast -> Mul(x_scale * w_scale) -> Add(C)} with the weight laid out [K, N];
 * Conv becomes {@code ConvInteger(x_q, W_q) -> Cast -> Mul(x_scale * w_scale[1, C, 1, ...]) -> Add(bias)} with
 * uint8 weights around zero point 128 (ONNX Runtime's ConvInteger takes uint8 x uint8) and one scale per
 * output channel.
 */
final class DynamicConvGemm {

    private static final Set<String> CONV_ATTRS = Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");

    private DynamicConvGemm() {
    }

    static Optional<String> unsuitable(Node n) {
        Optional<Tensor> w = n.inputs().size() < 2 || n.input(1) == null ? Optional.empty() : n.input(1).constantValue();
        if (w.isEmpty() || w.get().dataType() != DataType.FLOAT) {
            return Optional.of("no constant float32 weight");
        }
        if (n.isStandard("Gemm")) {
            if (n.intAttribute("transA", 0) != 0 || n.floatAttribute("alpha", 1f) != 1f
                    || n.floatAttribute("beta", 1f) != 1f || w.get().rank() != 2) {
                return Optional.of("Gemm with transA, alpha or beta");
            }
        } else if (w.get().rank() < 3) {
            return Optional.of("Conv weight of rank " + w.get().rank());
        }
        return Optional.empty();
    }

    static LayerReport gemm(Graph g, Node n, QuantizeConfig c, Map<Value, Node> cache) {
        Tensor w = n.input(1).constantValue().orElseThrow();
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
        long[] dims = {rows, cols};
        ChannelQuantizer.Result q = ChannelQuantizer.quantize(wf, dims, c.perChannel() ? 1 : -1,
                c.reduceRange() ? 63 : 127, QuantType.INT8);
        String base = n.input(1).name();
        Value wq = g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_quantized"), DataType.INT8, dims,
                MemorySegment.ofArray(q.values())));
        Value ws = g.addInitializer(Tensor.ofFloats(g.uniqueName(base + "_scale"), q.scales(), q.scales().length));
        Node dql = DynamicQuantizer.quantizeInput(g, n, cache);
        Node mmi = g.insertBefore(n, Node.of("MatMulInteger", List.of(dql.output(0), wq, dql.output(2)),
                List.of(g.uniqueName(n.output(0).name() + "_int32"))));
        DynamicQuantizer.dequantizeResult(g, n, mmi, dql, ws, n.inputs().size() > 2 ? n.input(2) : null);
        return LayerReport.weight(n.displayName(), "Gemm", base, List.of((long) rows, (long) cols),
                c.perChannel() ? "int8 symmetric per column" : "int8 symmetric per tensor", q.scales(), 0, q.sqnrDb());
    }

    static LayerReport conv(Graph g, Node n, QuantizeConfig c, Map<Value, Node> cache) {
        Tensor w = n.input(1).constantValue().orElseThrow();
        ChannelQuantizer.Result q = ChannelQuantizer.quantize(w.toFloatArray(), w.dims(), c.perChannel() ? 0 : -1,
                c.reduceRange() ? 63 : 127, QuantType.UINT8);
        String base = n.input(1).name();
        Value wq = g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_quantized"), DataType.UINT8, w.dims(),
                MemorySegment.ofArray(q.values())));
        Value wz = g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_zero_point"), DataType.UINT8, new long[0],
                MemorySegment.ofArray(new byte[] {(byte) q.zeroPoint()})));
        long[] scaleDims = new long[w.rank()];
        Arrays.fill(scaleDims, 1);
        scaleDims[1] = q.scales().length; // [1, C, 1, ...] broadcasts over the output's channels
        Value ws = g.addInitializer(Tensor.ofFloats(g.uniqueName(base + "_scale"), q.scales(), scaleDims));
        Node dql = DynamicQuantizer.quantizeInput(g, n, cache);
        List<Attribute> attrs = new ArrayList<>(n.attributes().stream().filter(a -> CONV_ATTRS.contains(a.name())).toList());
        Node ci = g.insertBefore(n, new Node("", "ConvInteger", List.of(dql.output(0), wq, dql.output(2), wz),
                List.of(g.uniqueName(n.output(0).name() + "_int32")), attrs));
        Value bias = null;
        if (n.inputs().size() > 2 && n.input(2) != null) {
            Tensor b = n.input(2).constantValue().orElse(null);
            if (b != null) {
                long[] bd = scaleDims.clone();
                bd[1] = b.elementCount();
                bias = g.addInitializer(Tensor.ofFloats(g.uniqueName(n.input(2).name() + "_broadcast"), b.toFloatArray(), bd));
            } else {
                throw new IllegalArgumentException(n.displayName() + ": a Conv bias that is not constant is not supported");
            }
        }
        DynamicQuantizer.dequantizeResult(g, n, ci, dql, ws, bias);
        return LayerReport.weight(n.displayName(), "Conv", base, Arrays.stream(w.dims()).boxed().toList(),
                c.perChannel() ? "uint8 symmetric (zero point 128) per output channel" : "uint8 symmetric per tensor",
                q.scales(), q.zeroPoint(), q.sqnrDb());
    }
}
