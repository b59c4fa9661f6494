package dev.bantam.compress.prune;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.infer.ShapeInference;
import dev.bantam.onnx.optimize.DeadCodeElimination;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The surgery: channels of some spaces removed physically, every slice of every member cut out of its constant
 * (the layers making the channels lose output rows, biases and normalization statistics; the layers reading them
 * lose input columns, at their Concat offsets and Flatten blocks). A depthwise convolution's {@code group} follows
 * its channel count; value types are inferred again. Also the reference the surgery is checked against: the same
 * channels zeroed where they are read, which gives the same outputs.
 */
public final class ChannelRemoval {

    private ChannelRemoval() {
    }

    /** Where one constant input of one node is cut: axis to the positions removed along it. */
    record Cut(Node node, int input) {
    }

    /**
     * Removes channels from the model's main graph.
     *
     * @param removed for each space (as {@link ChannelAnalysis} gave it for this graph), the channel indices to remove
     * @return the constants changed: their names before, shapes before and after
     */
    public static List<CutTensor> remove(Model model, Map<ChannelSpace, TreeSet<Long>> removed) {
        Map<Cut, Map<Integer, TreeSet<Long>>> cuts = positions(removed, false);
        Graph g = model.graph();
        List<CutTensor> out = new ArrayList<>();
        for (Map.Entry<Cut, Map<Integer, TreeSet<Long>>> e : cuts.entrySet()) {
            Node n = e.getKey().node();
            int input = e.getKey().input();
            Value old = n.input(input);
            Tensor t = old.constantValue().orElseThrow();
            Tensor cut = replaceConstant(g, n, input, name -> slice(t, e.getValue(), name), "_pruned");
            out.add(new CutTensor(old.name(), n.displayName(), n.opType(), t.dims(), cut.dims(), removedEnergy(t, e.getValue())));
            if (n.isStandard("Conv") && input == 1 && n.intAttribute("group", 1) > 1 && n.intAttribute("group", 1) == t.dim(0)) {
                n.setAttribute(Attribute.ofInt("group", cut.dim(0))); // depthwise: a group per channel
            }
        }
        retype(model);
        new DeadCodeElimination().run(model);
        return out;
    }

    /**
     * Gives input {@code input} of {@code n} a new constant: in place, under the same name, when it is an initializer
     * only this node reads; else as a new initializer named after the old value with {@code suffix} (a constant
     * shared with another node, or held by a Constant node).
     */
    static Tensor replaceConstant(Graph g, Node n, int input, java.util.function.Function<String, Tensor> make,
                                  String suffix) {
        Value old = n.input(input);
        if (g.initializer(old.name()) == old && old.uses().size() == 1 && !old.isGraphOutput()) {
            Tensor t = make.apply(old.name());
            g.setInitializer(old, t);
            old.setType(null);
            return t;
        }
        Tensor t = make.apply(g.uniqueName(old.name() + suffix));
        n.replaceInput(input, g.addInitializer(t));
        return t;
    }

    /**
     * The same channels zeroed where layers read them (their input slices), nothing removed: the model then computes
     * what the pruned model computes, and the two are compared to check the surgery.
     */
    public static void zero(Model model, Map<ChannelSpace, TreeSet<Long>> removed) {
        Graph g = model.graph();
        for (Map.Entry<Cut, Map<Integer, TreeSet<Long>>> e : positions(removed, true).entrySet()) {
            Node n = e.getKey().node();
            Value old = n.input(e.getKey().input());
            Tensor t = old.constantValue().orElseThrow();
            float[] v = t.toFloatArray();
            forEachRemoved(t.dims(), e.getValue(), i -> v[(int) i] = 0f);
            n.replaceInput(e.getKey().input(), g.addInitializer(Tensor.ofFloats(g.uniqueName(old.name() + "_zeroed"), v,
                    t.dims())));
        }
        new DeadCodeElimination().run(model);
    }

    static Map<Cut, Map<Integer, TreeSet<Long>>> positions(Map<ChannelSpace, TreeSet<Long>> removed,
                                                                 boolean readersOnly) {
        Map<Cut, Map<Integer, TreeSet<Long>>> cuts = new LinkedHashMap<>();
        for (Map.Entry<ChannelSpace, TreeSet<Long>> e : removed.entrySet()) {
            if (!e.getKey().prunable()) {
                throw new IllegalArgumentException("channels of " + e.getKey().label() + " cannot be removed: "
                        + e.getKey().frozen().getFirst());
            }
            for (Slot s : e.getKey().slots()) {
                if (readersOnly && s.producer()) {
                    continue;
                }
                TreeSet<Long> at = cuts.computeIfAbsent(new Cut(s.node(), s.input()), k -> new TreeMap<>())
                        .computeIfAbsent(s.axis(), k -> new TreeSet<>());
                for (long c : e.getValue()) {
                    if (c < 0 || c >= e.getKey().size()) {
                        throw new IllegalArgumentException("channel " + c + " of " + e.getKey().label() + " is out of range "
                                + "(it has " + e.getKey().size() + ")");
                    }
                    for (long p = s.offset() + c * s.block(); p < s.offset() + (c + 1) * s.block(); p++) {
                        at.add(p);
                    }
                }
            }
        }
        return cuts;
    }

    /** The tensor without the positions listed per axis, any element type of whole bytes. */
    static Tensor slice(Tensor t, Map<Integer, TreeSet<Long>> cut, String name) {
        long[] dims = t.dims();
        int elem = t.dataType().bitWidth() / 8;
        if (elem == 0 || t.dataType().bitWidth() % 8 != 0) {
            throw new IllegalArgumentException("cannot cut " + t.name() + ": " + t.dataType() + " elements are not whole bytes");
        }
        long[][] keep = new long[dims.length][];
        long[] outDims = new long[dims.length];
        for (int a = 0; a < dims.length; a++) {
            TreeSet<Long> gone = cut.getOrDefault(a, new TreeSet<>());
            long[] k = new long[(int) (dims[a] - gone.size())];
            int j = 0;
            for (long i = 0; i < dims[a]; i++) {
                if (!gone.contains(i)) {
                    k[j++] = i;
                }
            }
            keep[a] = k;
            outDims[a] = k.length;
        }
        long count = 1;
        for (long d : outDims) {
            count *= d;
        }
        MemorySegment src = t.bytes();
        MemorySegment dst = Arena.ofAuto().allocate(Math.max(1, count * elem), 8);
        long[] strides = strides(dims);
        long[] idx = new long[dims.length];
        for (long o = 0; o < count; o++) {
            long from = 0;
            for (int a = 0; a < dims.length; a++) {
                from += keep[a][(int) idx[a]] * strides[a];
            }
            MemorySegment.copy(src, from * elem, dst, o * elem, elem);
            for (int a = dims.length - 1; a >= 0; a--) {
                if (++idx[a] < outDims[a]) {
                    break;
                }
                idx[a] = 0;
            }
        }
        return Tensor.ofBytes(name, t.dataType(), outDims, dst.asSlice(0, count * elem));
    }

    private static long[] strides(long[] dims) {
        long[] s = new long[dims.length];
        long acc = 1;
        for (int a = dims.length - 1; a >= 0; a--) {
            s[a] = acc;
            acc *= dims[a];
        }
        return s;
    }

    /** Calls {@code f} with the flat index of every element whose position on some cut axis is removed. */
    private static void forEachRemoved(long[] dims, Map<Integer, TreeSet<Long>> cut, java.util.function.LongConsumer f) {
        long[] strides = strides(dims);
        long total = dims.length == 0 ? 1 : dims[0] * strides[0];
        for (long i = 0; i < total; i++) {
            for (Map.Entry<Integer, TreeSet<Long>> e : cut.entrySet()) {
                int a = e.getKey();
                if (e.getValue().contains((i / strides[a]) % dims[a])) {
                    f.accept(i);
                    break;
                }
            }
        }
    }

    /** Of a float tensor's squared values, the fraction in the removed positions (0 for other types). */
    private static double removedEnergy(Tensor t, Map<Integer, TreeSet<Long>> cut) {
        if (t.dataType() != dev.bantam.onnx.ir.DataType.FLOAT) {
            return 0;
        }
        float[] v = t.toFloatArray();
        double all = 0;
        for (float x : v) {
            all += (double) x * x;
        }
        double[] gone = new double[1];
        forEachRemoved(t.dims(), cut, i -> gone[0] += (double) v[(int) i] * v[(int) i]);
        return all == 0 ? 0 : gone[0] / all;
    }

    /** Intermediate shapes changed: their types are inferred again (graph inputs and outputs keep theirs). */
    private static void retype(Model model) {
        Graph g = model.graph();
        for (Node n : g) {
            for (Value v : n.outputs()) {
                if (v != null && !v.isGraphOutput()) {
                    v.setType(null);
                }
            }
        }
        g.clearValueInfos();
        new ShapeInference().run(model);
    }

    /**
     * A constant the surgery cut.
     *
     * @param removedEnergy the fraction of the tensor's squared values that went with the removed positions
     */
    public record CutTensor(String tensor, String node, String opType, long[] before, long[] after,
                            double removedEnergy) {
    }
}
