package dev.bantam.compress.prune;

import dev.bantam.onnx.ir.Dim;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Usage;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.ops.WeightLayout;
import dev.bantam.onnx.ops.WeightLayouts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the channel spaces of a graph by propagating, in graph order, which channels each activation holds along
 * which axis. A weighted layer (the weight-layout table says which weight axis is its output channels and which
 * its input channels) makes a new space of its output channels; channel-wise operators ({@link ChannelOps}) pass
 * a value's channels on; element-wise operators couple their operands' channels (a residual Add makes two layers'
 * outputs one space); a Concat along the channel axis lays its inputs' channels side by side (a reader of the
 * result takes each at its offset); a Flatten turns channel c into the features {@code [c·HW, (c+1)·HW)}; a layer
 * reading a value adds the slice of its weight along its input-channel axis. Whatever reads channels and is not
 * understood (an operator outside the table, control flow, a graph output, a reshape) freezes them, and the reason
 * is kept. Spaces that couple are merged (union-find).
 */
public final class ChannelAnalysis {

    /** Channels {@code [0, length)} of {@code space} at positions {@code start + i·block} of a value's channel axis. */
    record Segment(int space, long start, long length, long block) {
    }

    /** The channels a value holds: its rank, the channel axis, and the segments along it. */
    record Channels(int rank, int axis, List<Segment> segments) {
    }

    private final Graph graph;
    private final List<Integer> parent = new ArrayList<>();
    private final List<Long> sizes = new ArrayList<>();
    private final List<List<String>> producers = new ArrayList<>();
    private final List<List<Slot>> slots = new ArrayList<>();
    private final List<Set<String>> frozen = new ArrayList<>();
    private final Map<Value, Channels> channels = new HashMap<>();

    private ChannelAnalysis(Graph graph) {
        this.graph = graph;
    }

    /** The channel spaces of {@code graph}'s main graph, in graph order; value types should be inferred first. */
    public static List<ChannelSpace> analyze(Graph graph) {
        ChannelAnalysis a = new ChannelAnalysis(graph);
        for (Node n : graph) {
            a.visit(n);
        }
        for (Value o : graph.outputs()) {
            a.freeze(o, "reaches the graph output '" + o.name() + "'");
        }
        for (Map.Entry<Value, Channels> e : new ArrayList<>(a.channels.entrySet())) {
            for (Usage u : e.getKey().uses()) {
                if (u.node().graph() != graph) {
                    a.freeze(e.getKey(), "read inside the body of " + u.node().graph().parentNode().displayName());
                }
            }
        }
        return a.spaces();
    }

    private void visit(Node n) {
        if (!n.normalizedDomain().isEmpty() || !n.subgraphs().isEmpty()) {
            freezeInputs(n, "read by " + describe(n) + (n.subgraphs().isEmpty() ? ", an operator outside the channel table"
                    : ", which holds a subgraph"));
            return;
        }
        String op = n.opType();
        switch (op) {
            case "Conv" -> conv(n);
            case "Gemm" -> gemm(n);
            case "MatMul" -> matMul(n);
            case "BatchNormalization" -> batchNorm(n);
            case "Concat" -> concat(n);
            case "Flatten" -> flatten(n);
            default -> {
                if (ChannelOps.UNARY.contains(op) || ChannelOps.POOLING.contains(op)) {
                    passThrough(n);
                } else if (ChannelOps.BINARY.contains(op)) {
                    elementwise(n);
                } else {
                    freezeInputs(n, "read by " + describe(n) + ", an operator outside the channel table");
                }
            }
        }
    }

    private void passThrough(Node n) {
        Channels x = channels.get(n.input(0));
        if (x == null) {
            return;
        }
        for (int i = 1; i < n.inputs().size(); i++) {
            Value extra = n.input(i);
            if (extra != null && (!ChannelOps.scalarExtras(n.opType())
                    || extra.constantValue().map(t -> t.elementCount() != 1).orElse(true))) {
                freeze(x, "read by " + describe(n) + " with a non-constant or non-scalar input " + i);
                return;
            }
        }
        if (ChannelOps.POOLING.contains(n.opType()) && x.axis() != 1) {
            freeze(x, "pooled by " + describe(n) + " along an axis other than the channels");
            return;
        }
        channels.put(n.output(0), x);
    }

    private void conv(Node n) {
        Optional<WeightLayout> layout = WeightLayouts.of(n);
        Tensor w = layout.flatMap(l -> l.weight(n)).orElse(null);
        Channels x = channels.get(n.input(0));
        if (w == null || n.inputs().size() > 2 && n.input(2) != null && n.input(2).constantValue().isEmpty()) {
            freezeInputs(n, "read by " + describe(n) + ", whose weight or bias is not a constant");
            return;
        }
        if (x != null && x.axis() != 1) {
            freeze(x, "read by " + describe(n) + " on an axis other than its channels");
            x = null;
        }
        long groups = n.intAttribute("group", 1);
        long out = w.dim(0);
        long in = w.dim(1) * groups;
        boolean bias = n.inputs().size() > 2 && n.input(2) != null;
        if (groups > 1 && groups == in && out == in) { // depthwise: output channel c is input channel c
            if (x != null) {
                for (Segment s : x.segments()) {
                    addSlot(s, n, 1, 0, true);
                    if (bias) {
                        addSlot(s, n, 2, 0, true);
                    }
                }
                channels.put(n.output(0), new Channels(w.rank(), 1, x.segments()));
            }
            return;
        }
        if (x != null) {
            if (groups > 1) {
                freeze(x, "read by grouped convolution " + n.displayName() + " (group " + groups + ")");
            } else {
                x.segments().forEach(s -> addSlot(s, n, 1, 1, false));
            }
        }
        int space = newSpace(out, n);
        slots.get(space).add(new Slot(n, 1, 0, 0, 1, true));
        if (bias) {
            slots.get(space).add(new Slot(n, 2, 0, 0, 1, true));
        }
        if (groups > 1) {
            frozen.get(space).add("made by grouped convolution " + n.displayName() + " (group " + groups + ")");
        }
        channels.put(n.output(0), new Channels(w.rank(), 1, List.of(new Segment(space, 0, out, 1))));
    }

    private void gemm(Node n) {
        Optional<WeightLayout> layout = WeightLayouts.of(n);
        Tensor w = layout.flatMap(l -> l.weight(n)).orElse(null);
        if (w == null || n.intAttribute("transA", 0) != 0) {
            freezeInputs(n, "read by " + describe(n) + (w == null ? ", whose B is not a constant" : " with transA"));
            return;
        }
        WeightLayout l = layout.get();
        Channels x = channels.get(n.input(0));
        if (x != null) {
            x.segments().forEach(s -> addSlot(s, n, 1, l.inputAxis(), false));
        }
        long out = w.dim(l.outputAxis());
        int space = newSpace(out, n);
        slots.get(space).add(new Slot(n, 1, l.outputAxis(), 0, 1, true));
        if (n.inputs().size() > 2 && n.input(2) != null) {
            Tensor c = n.input(2).constantValue().orElse(null);
            if (c == null) {
                frozen.get(space).add("made by " + describe(n) + ", whose C is not a constant");
            } else if (c.elementCount() != 1) {
                if (c.rank() == 1 && c.dim(0) == out) {
                    slots.get(space).add(new Slot(n, 2, 0, 0, 1, true));
                } else if (c.rank() == 2 && c.dim(0) == 1 && c.dim(1) == out) {
                    slots.get(space).add(new Slot(n, 2, 1, 0, 1, true));
                } else {
                    frozen.get(space).add("made by " + describe(n) + ", whose C " + java.util.Arrays.toString(c.dims())
                            + " is not one value per output");
                }
            }
        }
        channels.put(n.output(0), new Channels(2, 1, List.of(new Segment(space, 0, out, 1))));
    }

    private void matMul(Node n) {
        Optional<WeightLayout> layout = WeightLayouts.of(n);
        Tensor w = layout.flatMap(l -> l.weight(n)).orElse(null);
        int rank = rank(n.input(0));
        if (w == null || layout.get().kind() != WeightLayout.Kind.MATMUL || w.rank() != 2 || rank < 2) {
            freezeInputs(n, "read by " + describe(n) + (w == null ? ", a product of two activations"
                    : ", whose constant operand is not a 2-D right-hand weight"));
            return;
        }
        Channels x = channels.get(n.input(0));
        if (x != null) {
            if (x.axis() != x.rank() - 1) {
                freeze(x, "read by " + describe(n) + " on an axis other than its channels");
            } else {
                x.segments().forEach(s -> addSlot(s, n, 1, 0, false));
            }
        }
        int space = newSpace(w.dim(1), n);
        slots.get(space).add(new Slot(n, 1, 1, 0, 1, true));
        channels.put(n.output(0), new Channels(rank, rank - 1, List.of(new Segment(space, 0, w.dim(1), 1))));
    }

    private void batchNorm(Node n) {
        Channels x = channels.get(n.input(0));
        if (x == null) {
            return;
        }
        boolean training = n.outputs().stream().skip(1).anyMatch(v -> v != null);
        boolean constant = n.inputs().stream().skip(1).allMatch(v -> v != null && v.constantValue().isPresent());
        if (x.axis() != 1 || training || !constant) {
            freeze(x, "normalized by " + describe(n) + (training ? " in training mode" : !constant
                    ? " with non-constant statistics" : " on another axis"));
            return;
        }
        for (Segment s : x.segments()) {
            for (int i = 1; i <= 4; i++) {
                addSlot(s, n, i, 0, true);
            }
        }
        channels.put(n.output(0), x);
    }

    /** Add, Mul, ...: operands with channels must line up (they become one space); constants may scale channels. */
    private void elementwise(Node n) {
        int outRank = rank(n.output(0));
        List<Channels> with = new ArrayList<>();
        for (Value v : n.inputs()) {
            Channels c = v == null ? null : channels.get(v);
            if (c != null) {
                outRank = Math.max(outRank, c.rank());
                with.add(c);
            }
        }
        if (with.isEmpty()) {
            return;
        }
        int axis = with.getFirst().axis() + outRank - with.getFirst().rank();
        for (Channels c : with) {
            if (c.axis() + outRank - c.rank() != axis) {
                with.forEach(x -> freeze(x, describe(n) + " combines channels on different axes"));
                return;
            }
        }
        List<Segment> unified = unify(with);
        if (unified == null) {
            with.forEach(x -> freeze(x, describe(n) + " combines channels laid out differently (concatenated in "
                    + "another order or size)"));
            return;
        }
        Channels out = new Channels(outRank, axis, unified);
        for (int i = 0; i < n.inputs().size(); i++) {
            Value v = n.input(i);
            if (v == null || channels.containsKey(v)) {
                continue;
            }
            long size = dim(v, axis - (outRank - rank(v)));
            Optional<Tensor> k = v.constantValue();
            if (size == 1) {
                continue; // broadcast along the channels
            }
            if (k.isPresent() && size == extent(out)) {
                int a = axis - (outRank - k.get().rank());
                int input = i;
                unified.forEach(s -> addSlot(s, n, input, a, true));
            } else {
                freeze(out, describe(n) + " combines the channels with '" + v.name() + "', whose channels are not known");
                return;
            }
        }
        channels.put(n.output(0), out);
    }

    private void concat(Node n) {
        int rank = rank(n.output(0));
        List<Channels> with = new ArrayList<>();
        for (Value v : n.inputs()) {
            if (channels.containsKey(v)) {
                with.add(channels.get(v));
                rank = Math.max(rank, channels.get(v).rank());
            }
        }
        if (with.isEmpty()) {
            return;
        }
        long axis = n.intAttribute("axis", 1);
        axis = axis < 0 ? axis + rank : axis;
        int channelAxis = with.getFirst().axis();
        if (with.stream().anyMatch(c -> c.axis() != channelAxis)) {
            with.forEach(c -> freeze(c, describe(n) + " joins channels on different axes"));
            return;
        }
        if (axis != channelAxis) {
            List<Segment> unified = with.size() == n.inputs().size() ? unify(with) : null;
            if (unified == null) {
                with.forEach(c -> freeze(c, describe(n) + " stacks values whose channels differ"));
                return;
            }
            channels.put(n.output(0), new Channels(rank, channelAxis, unified));
            return;
        }
        List<Segment> out = new ArrayList<>();
        long offset = 0;
        for (Value v : n.inputs()) {
            Channels c = channels.get(v);
            long size = dim(v, channelAxis);
            if (size < 0 && c != null) {
                size = extent(c);
            }
            if (size < 0) {
                with.forEach(x -> freeze(x, describe(n) + " joins '" + v.name() + "', whose channel count is not known"));
                return;
            }
            if (c != null) {
                for (Segment s : c.segments()) {
                    out.add(new Segment(s.space(), s.start() + offset, s.length(), s.block()));
                }
            }
            offset += size;
        }
        channels.put(n.output(0), new Channels(rank, channelAxis, out));
    }

    private void flatten(Node n) {
        Channels x = channels.get(n.input(0));
        if (x == null) {
            return;
        }
        long inner = 1;
        for (int a = 2; a < x.rank(); a++) {
            long d = dim(n.input(0), a);
            inner = d < 0 || inner < 0 ? -1 : inner * d;
        }
        if (x.axis() != 1 || n.intAttribute("axis", 1) != 1 || inner < 0) {
            freeze(x, "flattened by " + describe(n) + (inner < 0 ? ", whose input's spatial size is not known"
                    : " at another axis"));
            return;
        }
        List<Segment> out = new ArrayList<>();
        for (Segment s : x.segments()) {
            out.add(new Segment(s.space(), s.start() * inner, s.length(), s.block() * inner));
        }
        channels.put(n.output(0), new Channels(2, 1, out));
    }

    /** The segments of values that must line up, their spaces merged; null when their layouts differ. */
    private List<Segment> unify(List<Channels> values) {
        List<Segment> first = values.getFirst().segments();
        for (Channels c : values.subList(1, values.size())) {
            List<Segment> other = c.segments();
            if (other.size() != first.size()) {
                return null;
            }
            for (int i = 0; i < first.size(); i++) {
                Segment a = first.get(i);
                Segment b = other.get(i);
                if (a.start() != b.start() || a.length() != b.length() || a.block() != b.block()) {
                    return null;
                }
            }
        }
        for (Channels c : values.subList(1, values.size())) {
            for (int i = 0; i < first.size(); i++) {
                union(first.get(i).space(), c.segments().get(i).space());
            }
        }
        return first;
    }

    private int newSpace(long size, Node producer) {
        int id = parent.size();
        parent.add(id);
        sizes.add(size);
        producers.add(new ArrayList<>(List.of(producer.displayName())));
        slots.add(new ArrayList<>());
        frozen.add(new LinkedHashSet<>());
        return id;
    }

    private int find(int s) {
        while (parent.get(s) != s) {
            parent.set(s, parent.get(parent.get(s)));
            s = parent.get(s);
        }
        return s;
    }

    private void union(int a, int b) {
        int ra = find(a);
        int rb = find(b);
        if (ra == rb) {
            return;
        }
        int root = Math.min(ra, rb);
        int child = Math.max(ra, rb);
        parent.set(child, root);
        producers.get(root).addAll(producers.get(child));
        slots.get(root).addAll(slots.get(child));
        frozen.get(root).addAll(frozen.get(child));
    }

    private void addSlot(Segment s, Node n, int input, int axis, boolean producer) {
        slots.get(find(s.space())).add(new Slot(n, input, axis, s.start(), s.block(), producer));
    }

    private void freeze(Value v, String reason) {
        Channels c = channels.get(v);
        if (c != null) {
            freeze(c, reason);
        }
    }

    private void freeze(Channels c, String reason) {
        c.segments().forEach(s -> frozen.get(find(s.space())).add(reason));
    }

    private void freezeInputs(Node n, String reason) {
        n.inputs().forEach(v -> {
            if (v != null) {
                freeze(v, reason);
            }
        });
    }

    private static long extent(Channels c) {
        return c.segments().stream().mapToLong(s -> s.start() + s.length() * s.block()).max().orElse(0);
    }

    private static String describe(Node n) {
        return n.opType() + " " + n.displayName();
    }

    private static int rank(Value v) {
        if (v != null && v.constantValue().isPresent()) {
            return v.constantValue().get().rank();
        }
        return v != null && v.type() instanceof ValueType.TensorType t && t.shape() != null ? t.shape().rank() : -1;
    }

    /** A static dimension of a value (type or constant), or -1; 1 for an axis before the value's first. */
    private static long dim(Value v, int axis) {
        if (axis < 0) {
            return 1;
        }
        Optional<Tensor> k = v.constantValue();
        if (k.isPresent()) {
            return axis < k.get().rank() ? k.get().dim(axis) : -1;
        }
        if (v.type() instanceof ValueType.TensorType t && t.shape() != null && axis < t.shape().rank()
                && t.shape().dims().get(axis) instanceof Dim.Fixed f) {
            return f.value();
        }
        return -1;
    }

    private List<ChannelSpace> spaces() {
        List<ChannelSpace> out = new ArrayList<>();
        for (int s = 0; s < parent.size(); s++) {
            if (find(s) == s) {
                out.add(new ChannelSpace(out.size(), sizes.get(s), producers.get(s), slots.get(s),
                        new ArrayList<>(frozen.get(s))));
            }
        }
        return out;
    }
}
