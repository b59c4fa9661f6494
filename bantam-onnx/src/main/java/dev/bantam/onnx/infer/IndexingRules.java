package dev.bantam.onnx.infer;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Dim;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Inference for indexing, tiling, padding, splitting and generating operators, and for recurrent layers
 * and quantized linear algebra.
 */
final class IndexingRules {

    private IndexingRules() {
    }

    static void register(Map<String, InferenceRule> rules) {
        for (String op : List.of("ReverseSequence", "Scatter", "ScatterElements", "ScatterND", "EyeLike")) {
            rules.put(op, c -> LayoutRules.one(op.equals("EyeLike") && c.node().attribute("dtype").isPresent()
                    ? DataType.fromCode((int) c.intAttr("dtype", 1)) : c.type(0), c.shape(0)));
        }
        rules.put("Bernoulli", IndexingRules::likeWithDtype);
        rules.put("RandomUniformLike", IndexingRules::likeWithDtype);
        rules.put("RandomNormalLike", IndexingRules::likeWithDtype);
        rules.put("GatherElements", c -> LayoutRules.one(c.type(0), c.shape(1)));
        rules.put("Compress", c -> LayoutRules.one(c.type(0), c.shape(0) == null ? null
                : c.node().attribute("axis").isPresent() ? replaced(c.shape(0), Dims.axis(c.intAttr("axis", 0),
                c.shape(0).rank()), Dim.unknown()) : new Shape(List.of(Dim.unknown()))));
        rules.put("NonZero", c -> LayoutRules.one(DataType.INT64, c.shape(0) == null ? null
                : new Shape(List.of(Dim.of(c.shape(0).rank()), Dim.unknown()))));
        rules.put("Tile", c -> {
            Shape s = c.shape(0);
            long[] rep = c.constLongs(1).orElse(null);
            if (s == null || rep == null) {
                return LayoutRules.one(c.type(0), s == null ? null : Dims.unknownOfRank(s.rank()));
            }
            List<Dim> out = new ArrayList<>();
            for (int i = 0; i < s.rank(); i++) {
                Long v = Dims.value(s.dims().get(i));
                out.add(v == null ? (rep[i] == 1 ? Dims.strip(s.dims().get(i)) : Dim.unknown()) : Dim.of(v * rep[i]));
            }
            return LayoutRules.one(c.type(0), new Shape(out));
        });
        rules.put("Pad", IndexingRules::pad);
        rules.put("DepthToSpace", c -> blocks(c, false));
        rules.put("SpaceToDepth", c -> blocks(c, true));
        rules.put("TopK", IndexingRules::topK);
        rules.put("Split", IndexingRules::split);
        rules.put("Range", c -> LayoutRules.one(c.type(0), new Shape(List.of(Dim.unknown()))));
        rules.put("OneHot", c -> {
            Shape s = c.shape(0);
            long[] depth = c.constLongs(1).orElse(null);
            if (s == null) {
                return LayoutRules.one(c.type(2), null);
            }
            List<Dim> out = new ArrayList<>(s.dims().stream().map(Dims::strip).toList());
            int axis = (int) c.intAttr("axis", -1);
            out.add(axis < 0 ? out.size() + 1 + axis : axis, depth == null ? Dim.unknown() : Dim.of(depth[0]));
            return LayoutRules.one(c.type(2), new Shape(out));
        });
        rules.put("QLinearMatMul", c -> LayoutRules.one(c.type(7), LinearAlgebraRules.matmul(c.shape(0), c.shape(3))));
        for (String op : List.of("RNN", "GRU", "LSTM")) {
            rules.put(op, IndexingRules::recurrent);
        }
    }

    private static List<ValueType.TensorType> likeWithDtype(InferenceContext c) {
        DataType t = c.node().attribute("dtype").isPresent() ? DataType.fromCode((int) c.intAttr("dtype", 1)) : c.type(0);
        return LayoutRules.one(t, c.shape(0));
    }

    private static Shape replaced(Shape s, int axis, Dim d) {
        List<Dim> out = new ArrayList<>(s.dims().stream().map(Dims::strip).toList());
        out.set(axis, d);
        return new Shape(out);
    }

    private static List<ValueType.TensorType> pad(InferenceContext c) {
        Shape s = c.shape(0);
        long[] pads = c.opset() < 11 ? c.intsAttr("pads").orElse(null) : c.constLongs(1).orElse(null);
        boolean axesGiven = c.opset() >= 18 && c.hasInput(3);
        if (s == null || pads == null || axesGiven) {
            return LayoutRules.one(c.type(0), s == null ? null : Dims.unknownOfRank(s.rank()));
        }
        List<Dim> out = new ArrayList<>();
        int r = s.rank();
        for (int i = 0; i < r; i++) {
            Long v = Dims.value(s.dims().get(i));
            long add = pads[i] + pads[i + r];
            out.add(v == null ? (add == 0 ? Dims.strip(s.dims().get(i)) : Dim.unknown()) : Dim.of(v + add));
        }
        return LayoutRules.one(c.type(0), new Shape(out));
    }

    private static List<ValueType.TensorType> blocks(InferenceContext c, boolean toDepth) {
        Shape s = c.shape(0);
        long b = c.intAttr("blocksize", 1);
        if (s == null || s.rank() != 4) {
            return LayoutRules.one(c.type(0), null);
        }
        List<Dim> out = new ArrayList<>(s.dims().stream().map(Dims::strip).toList());
        for (int i = 1; i < 4; i++) {
            Long v = Dims.value(s.dims().get(i));
            long f = i == 1 ? (toDepth ? b * b : -(b * b)) : (toDepth ? -b : b);
            out.set(i, v == null ? Dim.unknown() : Dim.of(f > 0 ? v * f : v / -f));
        }
        return LayoutRules.one(c.type(0), new Shape(out));
    }

    private static List<ValueType.TensorType> topK(InferenceContext c) {
        Shape s = c.shape(0);
        long[] k = c.opset() < 10 ? new long[] {c.intAttr("k", 1)} : c.constLongs(1).orElse(null);
        if (s == null) {
            return java.util.Arrays.asList(InferenceContext.of(c.type(0), null), InferenceContext.of(DataType.INT64, null));
        }
        Shape out = replaced(s, Dims.axis(c.intAttr("axis", -1), s.rank()), k == null ? Dim.unknown() : Dim.of(k[0]));
        return List.of(InferenceContext.of(c.type(0), out), InferenceContext.of(DataType.INT64, out));
    }

    private static List<ValueType.TensorType> split(InferenceContext c) {
        Shape s = c.shape(0);
        int n = c.node().outputs().size();
        if (s == null) {
            return java.util.Collections.nCopies(n, InferenceContext.of(c.type(0), null));
        }
        int axis = Dims.axis(c.intAttr("axis", 0), s.rank());
        long[] sizes = c.opset() < 13 ? c.intsAttr("split").orElse(null) : c.constLongs(1).orElse(null);
        Long dim = Dims.value(s.dims().get(axis));
        List<ValueType.TensorType> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Dim d;
            if (sizes != null) {
                d = Dim.of(sizes[i]);
            } else if (dim != null && !(c.opset() >= 13 && c.hasInput(1)) && !c.node().attribute("num_outputs").isPresent()
                    && dim % n == 0) {
                d = Dim.of(dim / n);
            } else {
                d = Dim.unknown();
            }
            out.add(InferenceContext.of(c.type(0), replaced(s, axis, d)));
        }
        return out;
    }

    /** Y [seq, directions, batch, hidden], Y_h (and Y_c) [directions, batch, hidden]; layout=1 swaps to batch-first. */
    private static List<ValueType.TensorType> recurrent(InferenceContext c) {
        Shape x = c.shape(0);
        long hidden = c.intAttr("hidden_size", -1);
        if (x == null || x.rank() != 3 || hidden < 0) {
            return java.util.Collections.nCopies(c.node().outputs().size(), null);
        }
        boolean batchFirst = c.intAttr("layout", 0) == 1;
        Dim seq = Dims.strip(x.dims().get(batchFirst ? 1 : 0));
        Dim batch = Dims.strip(x.dims().get(batchFirst ? 0 : 1));
        Dim dirs = Dim.of(c.stringAttr("direction").orElse("forward").equals("bidirectional") ? 2 : 1);
        Dim h = Dim.of(hidden);
        Shape y = batchFirst ? new Shape(List.of(batch, seq, dirs, h)) : new Shape(List.of(seq, dirs, batch, h));
        Shape state = batchFirst ? new Shape(List.of(batch, dirs, h)) : new Shape(List.of(dirs, batch, h));
        List<ValueType.TensorType> out = new ArrayList<>(List.of(InferenceContext.of(c.type(0), y),
                InferenceContext.of(c.type(0), state)));
        if (c.node().opType().equals("LSTM")) {
            out.add(InferenceContext.of(c.type(0), state));
        }
        return out;
    }
}
