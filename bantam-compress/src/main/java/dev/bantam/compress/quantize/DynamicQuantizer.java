package dev.bantam.compress.quantize;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.optimize.DeadCodeElimination;
import dev.bantam.onnx.optimize.OpsetUpgrade;
import dev.bantam.onnx.pass.PassManager;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Dynamic INT8 quantization in the form ONNX Runtime runs fast (Conv and Gemm on request: {@link DynamicConvGemm}):
 * every MatMul with a constant float weight
 * becomes {@code DynamicQuantizeLinear(x) -> MatMulInteger(x_q, W_q) -> Cast -> Mul(x_scale * w_scale)}
 * with symmetric int8 weights (one scale per output column by default), and embedding tables read by Gather
 * are stored as int8 with a scale per row, rebuilt by constant nodes that the runtime folds at load time. An activation feeding
 * several MatMuls is quantized once.
 */
public final class DynamicQuantizer {

    private static final Set<String> ALREADY_QUANTIZED = Set.of("MatMulInteger", "ConvInteger", "DynamicQuantizeLinear",
            "QuantizeLinear", "DequantizeLinear", "QLinearMatMul", "QLinearConv", "MatMulNBits");

    private DynamicQuantizer() {
    }

    public static QuantizeReport quantize(Model model, QuantizeConfig config) {
        if (config.mode() != QuantizeConfig.Mode.DYNAMIC) {
            throw new UnsupportedOperationException("DynamicQuantizer takes a dynamic configuration; static mode is StaticQuantizer");
        }
        refuseQuantized(model);
        long opset = model.opsetVersion("").orElseThrow(() -> new IllegalArgumentException("the model imports no ai.onnx opset"));
        List<String> left = new ArrayList<>();
        if (opset < 11) { // DynamicQuantizeLinear and MatMulInteger need 11 (10 for MatMulInteger)
            PassManager.once(List.of(new OpsetUpgrade(11))).run(model);
            left.add("opset raised from " + opset + " to 11 (DynamicQuantizeLinear needs it)");
        }
        Graph g = model.graph();
        List<LayerReport> layers = new ArrayList<>();
        Map<Value, Node> quantizedInputs = new HashMap<>();
        long before = 0;
        long after = 0;
        for (Node n : g.nodes()) {
            if (!n.normalizedDomain().isEmpty() || !config.opTypes().contains(n.opType())) {
                continue;
            }
            Optional<String> why = unsuitable(n, config);
            if (why.isPresent()) {
                left.add(n.displayName() + ": " + why.get());
                continue;
            }
            Tensor w = n.input(n.isStandard("Gather") ? 0 : 1).constantValue().orElseThrow();
            before += w.storedByteSize();
            LayerReport r = switch (n.opType()) {
                case "Gather" -> quantizeGather(g, n, w);
                case "Gemm" -> DynamicConvGemm.gemm(g, n, config, quantizedInputs);
                case "Conv" -> DynamicConvGemm.conv(g, n, config, quantizedInputs);
                default -> quantizeMatMul(g, n, w, config, quantizedInputs);
            };
            after += w.elementCount();
            layers.add(r);
        }
        long subgraphNodes = g.nodes().stream().mapToLong(x -> x.subgraphs().size()).sum();
        if (subgraphNodes > 0) {
            left.add(subgraphNodes + " subgraphs (If/Loop/Scan bodies) are left in float");
        }
        new DeadCodeElimination().run(model);
        layers.sort(Comparator.comparingDouble(LayerReport::sqnrDb));
        return new QuantizeReport(config.describe(), layers, left, before, after);
    }

    static void refuseQuantized(Model model) {
        List<String> found = new ArrayList<>();
        model.graph().forEachNodeRecursive(n -> {
            if (ALREADY_QUANTIZED.contains(n.opType()) && !found.contains(n.opType())) {
                found.add(n.opType());
            }
        });
        if (!found.isEmpty()) {
            throw new IllegalArgumentException("the model is already quantized (it has " + String.join(", ", found)
                    + "); quantizing it again would compound the error, so Bantam refuses: start from the float model");
        }
    }

    private static Optional<String> unsuitable(Node n, QuantizeConfig c) {
        if (c.excluded(n.name())) {
            return Optional.of("excluded by name");
        }
        if (n.isStandard("Gemm") || n.isStandard("Conv")) {
            Optional<String> why = DynamicConvGemm.unsuitable(n);
            if (why.isPresent() || n.input(1).constantValue().get().elementCount() >= c.minWeightSize()) {
                return why;
            }
            return Optional.of("weight smaller than " + c.minWeightSize() + " elements");
        }
        Value wv = n.input(n.isStandard("Gather") ? 0 : 1);
        Optional<Tensor> w = wv == null ? Optional.empty() : wv.constantValue();
        if (w.isEmpty() || w.get().dataType() != DataType.FLOAT || w.get().rank() != 2) {
            return Optional.of("no constant float32 matrix to quantize");
        }
        if (w.get().elementCount() < c.minWeightSize()) {
            return Optional.of("weight smaller than " + c.minWeightSize() + " elements");
        }
        if (n.isStandard("Gather") && n.intAttribute("axis", 0) != 0) {
            return Optional.of("Gather along an axis other than 0");
        }
        return Optional.empty();
    }

    private static LayerReport quantizeMatMul(Graph g, Node mm, Tensor w, QuantizeConfig c, Map<Value, Node> cache) {
        int rows = (int) w.dim(0);
        int cols = (int) w.dim(1);
        ChannelQuantizer.Result q = ChannelQuantizer.quantize(w.toFloatArray(), w.dims(), c.perChannel() ? 1 : -1,
                c.reduceRange() ? 63 : 127, QuantType.INT8);
        String base = mm.input(1).name();
        Value wq = g.addInitializer(Tensor.ofBytes(Names.fresh(g, base + "_quantized"), DataType.INT8,
                new long[] {rows, cols}, MemorySegment.ofArray(q.values())));
        Value ws = g.addInitializer(c.perChannel() ? Tensor.ofFloats(Names.fresh(g, base + "_scale"), q.scales(), cols)
                : Tensor.ofFloats(Names.fresh(g, base + "_scale"), q.scales()));
        Node dql = quantizeInput(g, mm, cache);
        Node mmi = g.insertBefore(mm, Node.of("MatMulInteger", List.of(dql.output(0), wq, dql.output(2)),
                List.of(Names.fresh(g, mm.output(0).name() + "_int32"))));
        dequantizeResult(g, mm, mmi, dql, ws, null);
        return LayerReport.weight(mm.displayName(), "MatMul", base, List.of((long) rows, (long) cols),
                c.perChannel() ? "int8 symmetric per column" : "int8 symmetric per tensor", q.scales(), 0, q.sqnrDb());
    }

    /** The activation's DynamicQuantizeLinear, shared by every node that reads the same activation. */
    static Node quantizeInput(Graph g, Node n, Map<Value, Node> cache) {
        return cache.computeIfAbsent(n.input(0), x -> {
            Node d = Node.of("DynamicQuantizeLinear", List.of(x), List.of(Names.fresh(g, x.name() + "_quantized"),
                    Names.fresh(g, x.name() + "_scale"), Names.fresh(g, x.name() + "_zero_point")));
            g.insertBefore(n, d);
            return d;
        });
    }

    /** int32 result -> float, times input scale x weight scale(s), plus the bias when given; replaces n. */
    static void dequantizeResult(Graph g, Node n, Node integer, Node dql, Value weightScale, Value bias) {
        String out = n.output(0).name();
        Node cast = g.insertBefore(n, Node.of("Cast", List.of(integer.output(0)), List.of(Names.fresh(g, out + "_float")),
                Attribute.ofInt("to", DataType.FLOAT.code())));
        Node scale = g.insertBefore(n, Node.of("Mul", List.of(dql.output(1), weightScale), List.of(Names.fresh(g, out + "_scale"))));
        Node y = g.insertBefore(n, Node.of("Mul", List.of(cast.output(0), scale.output(0)),
                List.of(Names.fresh(g, out + "_dequantized"))));
        if (bias != null) {
            y = g.insertBefore(n, Node.of("Add", List.of(y.output(0), bias), List.of(Names.fresh(g, out + "_biased"))));
        }
        y.output(0).setType(n.output(0).type());
        Names.replace(g, n, y.output(0));
    }

    /**
     * Embedding tables: symmetric int8 with one scale per row (kept as float16 to keep the file small), rebuilt
     * as {@code Cast(W_q) * Cast(scales)} in front of the Gather. Every input is constant, so ONNX Runtime
     * folds the rebuild once at load and the Gather reads a float table, as with the usual DequantizeLinear.
     */
    static LayerReport quantizeGather(Graph g, Node gather, Tensor w) {
        int rows = (int) w.dim(0);
        int cols = (int) w.dim(1);
        float[] wf = w.toFloatArray();
        ChannelQuantizer.Result perRow = ChannelQuantizer.quantize(wf, w.dims(), 0, 127, QuantType.INT8);
        byte[] q = perRow.values();
        float[] rowScales = perRow.scales();
        MemorySegment half = MemorySegment.ofArray(new short[rows]);
        float[] scales = new float[rows];
        for (int r = 0; r < rows; r++) {
            short h = Float.floatToFloat16(rowScales[r]);
            half.setAtIndex(Tensor.SHORT_LE, r, h);
            scales[r] = Float.float16ToFloat(h);
        }
        String base = gather.input(0).name();
        Value wq = g.addInitializer(Tensor.ofBytes(Names.fresh(g, base + "_quantized"), DataType.INT8, w.dims(),
                MemorySegment.ofArray(q)));
        Value sv = g.addInitializer(Tensor.ofBytes(Names.fresh(g, base + "_scale"), DataType.FLOAT16,
                new long[] {rows, 1}, half));
        Node castQ = g.insertBefore(gather, Node.of("Cast", List.of(wq), List.of(Names.fresh(g, base + "_int8_as_float")),
                Attribute.ofInt("to", DataType.FLOAT.code())));
        Node castS = g.insertBefore(gather, Node.of("Cast", List.of(sv), List.of(Names.fresh(g, base + "_scale_float")),
                Attribute.ofInt("to", DataType.FLOAT.code())));
        Node table = g.insertBefore(gather, Node.of("Mul", List.of(castQ.output(0), castS.output(0)),
                List.of(Names.fresh(g, base + "_dequantized"))));
        table.output(0).setType(ValueType.tensor(DataType.FLOAT, Shape.of(w.dims())));
        gather.replaceInput(0, table.output(0));
        double signal = 0;
        double noise = 0;
        for (int i = 0; i < wf.length; i++) {
            double d = q[i] * (double) scales[i / cols];
            signal += (double) wf[i] * wf[i];
            noise += (wf[i] - d) * (wf[i] - d);
        }
        return LayerReport.weight(gather.displayName(), "Gather", base, Arrays.stream(w.dims()).boxed().toList(),
                "int8 symmetric per row (float16 scales)", scales, 0, 10 * Math.log10(signal / Math.max(noise, 1e-30)));
    }

}
