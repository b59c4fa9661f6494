package dev.bantam.compress.quantize;

import dev.bantam.compress.Sqnr;
import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Usage;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The graph edits of static quantization in the QDQ format. */
final class QdqWriter {

    private final StaticPlan plan;
    long floatBytes;
    long quantizedBytes;

    QdqWriter(StaticPlan plan) {
        this.plan = plan;
    }

    /**
     * Removes the Relu/Clip nodes whose clamping the activation's range does (its zero point sits at the
     * type's minimum, so negative values quantize to zero). Returns each removed output and the value that
     * now stands for it.
     */
    Map<Value, Value> removeFolded() {
        Map<Value, Value> replaced = new LinkedHashMap<>();
        for (Node n : plan.folded.keySet()) {
            Value in = n.input(0);
            Value out = n.output(0);
            out.replaceAllUsesWith(in, false);
            n.graph().remove(n, true);
            replaced.put(out, in);
        }
        return replaced;
    }

    /** Weights (and biases) of the weighted anchors become int8 initializers read through DequantizeLinear. */
    List<QuantizedTensor> quantizeWeights(Map<Value, QuantParams> activations, WeightCache cache) {
        List<QuantizedTensor> out = new ArrayList<>();
        int qmax = plan.config.weights().symmetricMax();
        QuantType type = plan.config.weights().signed() ? QuantType.INT8 : QuantType.UINT8;
        for (Node n : plan.weighted.keySet()) {
            Tensor w = n.input(1).constantValue().orElseThrow();
            int axis = plan.channelAxis(n);
            String base = n.input(1).name();
            ChannelQuantizer.Result q = cache.get(w, "weight " + axis + " " + qmax + " " + type,
                    () -> ChannelQuantizer.quantize(w.toFloatArray(), w.dims(), axis, qmax, type));
            floatBytes += w.storedByteSize();
            quantizedBytes += w.elementCount();
            Value dq = dequantize(n, base, type.dataType(), w.dims(), MemorySegment.ofArray(q.values()), q.scales(),
                    q.zeroPoint(), axis);
            n.replaceInput(1, dq);
            out.add(QuantizedTensor.constant(TensorKind.WEIGHT, n.displayName(), n.opType(), base,
                    Arrays.stream(w.dims()).boxed().toList(),
                    QuantScheme.constant(type.dataType(), plan.config.weights().bits(), axis),
                    q.scales(), axis < 0 ? q.zeroPoint() : null, q.sqnrDb()));
            QuantParams x = activations.get(n.input(0));
            if (x != null) {
                quantizeBias(n, x, q.scales()).ifPresent(out::add);
            }
        }
        return out;
    }

    /** A 1-D float bias becomes int32 with scale {@code x_scale * w_scale[c]}, so runtimes can fuse the node. */
    private Optional<QuantizedTensor> quantizeBias(Node n, QuantParams x, float[] wScales) {
        if (n.inputs().size() < 3 || n.input(2) == null) {
            return Optional.empty();
        }
        Optional<Tensor> bt = n.input(2).constantValue();
        if (bt.isEmpty() || bt.get().dataType() != DataType.FLOAT || bt.get().rank() != 1) {
            return Optional.empty();
        }
        float[] b = bt.get().toFloatArray();
        if (wScales.length != 1 && wScales.length != b.length) {
            return Optional.empty();
        }
        float[] scales = new float[wScales.length];
        int[] q = new int[b.length];
        Sqnr sqnr = new Sqnr();
        for (int c = 0; c < scales.length; c++) {
            scales[c] = x.scale() * wScales[c];
        }
        for (int i = 0; i < b.length; i++) {
            float s = scales[scales.length == 1 ? 0 : i];
            q[i] = (int) Math.max(Integer.MIN_VALUE + 1L, Math.min(Integer.MAX_VALUE, Math.round((double) b[i] / s)));
            sqnr.add(b[i], q[i] * (double) s);
        }
        String base = n.input(2).name();
        Value dq = dequantize(n, base, DataType.INT32, bt.get().dims(), MemorySegment.ofArray(q), scales, 0,
                scales.length == 1 ? -1 : 0);
        n.replaceInput(2, dq);
        return Optional.of(QuantizedTensor.constant(TensorKind.BIAS, n.displayName(), n.opType(), base,
                List.of((long) b.length), QuantScheme.constant(DataType.INT32, 32, scales.length == 1 ? -1 : 0),
                scales, null, sqnr.db()));
    }

    private Value dequantize(Node before, String base, DataType type, long[] dims, MemorySegment data, float[] scales,
                             int zeroPoint, int axis) {
        Graph g = before.graph(); // a layer inside an If/Loop/Scan body reads initializers of its own body
        Value q = g.addInitializer(Tensor.ofBytes(g.uniqueName(base + "_quantized"), type, dims, data));
        Value s;
        Value z;
        if (axis < 0) {
            s = g.addInitializer(Tensor.ofFloats(g.uniqueName(base + "_scale"), new float[] {scales[0]}));
            z = g.addInitializer(zeroPoints(g.uniqueName(base + "_zero_point"), type, zeroPoint, 1, false));
        } else {
            s = g.addInitializer(Tensor.ofFloats(g.uniqueName(base + "_scale"), scales, scales.length));
            z = g.addInitializer(zeroPoints(g.uniqueName(base + "_zero_point"), type, zeroPoint, scales.length, true));
        }
        List<Attribute> attrs = axis < 0 ? List.of() : List.of(Attribute.ofInt("axis", axis));
        Node dq = g.insertBefore(before, Node.of("DequantizeLinear", List.of(q, s, z),
                List.of(g.uniqueName(base + "_dequantized")), attrs.toArray(Attribute[]::new)));
        dq.output(0).setType(ValueType.tensor(DataType.FLOAT, Shape.of(dims)));
        return dq.output(0);
    }

    private static Tensor zeroPoints(String name, DataType type, int zp, int count, boolean vector) {
        long[] dims = vector ? new long[] {count} : new long[0];
        if (type == DataType.INT32) {
            int[] v = new int[count];
            Arrays.fill(v, zp);
            return Tensor.ofBytes(name, type, dims, MemorySegment.ofArray(v));
        }
        byte[] v = new byte[count];
        Arrays.fill(v, (byte) zp);
        return Tensor.ofBytes(name, type, dims, MemorySegment.ofArray(v));
    }

    /**
     * A QuantizeLinear/DequantizeLinear pair after every planned activation; its quantized consumers read the
     * pair, float consumers (a residual connection, a LayerNormalization) keep the exact float value, except
     * after a weighted layer: there every consumer reads the pair, because a runtime fuses the layer into an
     * integer kernel only when the QuantizeLinear is its output's sole reader (hard-swish after a Conv). A Conv
     * whose output is a graph output gets the pair too (runtimes fuse a Conv only with a quantized output);
     * the graph output is then the dequantized value, under its old name.
     */
    void insertActivationPairs(Map<Value, QuantParams> params) {
        for (Map.Entry<Value, QuantParams> e : params.entrySet()) {
            Value v = e.getKey();
            QuantParams p = e.getValue();
            List<Usage> uses = List.copyOf(v.uses());
            Graph home = v.producer() != null ? v.producer().graph() : v.graph();
            boolean anchorOutput = v.producer() != null && plan.weighted.containsKey(v.producer());
            Value dq = pair(home, v, p);
            Map<Graph, Value> inBodies = new LinkedHashMap<>();
            for (Usage u : uses) {
                Graph where = u.node().graph();
                if (anchorOutput || plan.included.contains(u.node()) && where == home) {
                    u.node().replaceInput(u.index(), dq);
                } else if (plan.included.contains(u.node())) {
                    // a quantized node in a body reading an outer value gets a pair of its own body: runtimes fuse
                    // DequantizeLinear with its consumer only within one graph
                    u.node().replaceInput(u.index(), inBodies.computeIfAbsent(where, b -> pair(b, v, p)));
                }
            }
            if (v.isGraphOutput() && anchorOutput) { // the graph output becomes the dequantized value, under the same name
                v.graph().replaceOutputKeepingName(v, dq, "_float");
            }
        }
    }

    /** A QuantizeLinear/DequantizeLinear pair on {@code v} in graph {@code g}, after v's producer or at g's start. */
    private static Value pair(Graph g, Value v, QuantParams p) {
        String base = v.name();
        Value s = g.addInitializer(Tensor.ofFloats(g.uniqueName(base + "_scale"), new float[] {p.scale()}));
        Value z = g.addInitializer(zeroPoints(g.uniqueName(base + "_zero_point"), p.type().dataType(), p.zeroPoint(), 1, false));
        Node q = Node.of("QuantizeLinear", List.of(v, s, z), List.of(g.uniqueName(base + "_quantized")));
        Node dq = Node.of("DequantizeLinear", List.of(q.output(0), s, z), List.of(g.uniqueName(base + "_dequantized")));
        if (v.producer() != null && v.producer().graph() == g) {
            g.insertAfter(v.producer(), q);
        } else {
            g.insertBefore(g.nodes().get(0), q);
        }
        g.insertAfter(q, dq);
        ValueType t = v.type();
        Shape shape = t instanceof ValueType.TensorType tt ? tt.shape() : null;
        q.output(0).setType(ValueType.tensor(p.type().dataType(), shape));
        dq.output(0).setType(t);
        return dq.output(0);
    }
}
