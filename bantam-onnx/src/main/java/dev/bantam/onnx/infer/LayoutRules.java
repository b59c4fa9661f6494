package dev.bantam.onnx.infer;

import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Dim;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Inference for operators that rearrange elements: reshape, transpose, concat, gather, squeeze, slice, reduce. */
final class LayoutRules {

    private LayoutRules() {
    }

    static void register(Map<String, InferenceRule> rules) {
        rules.put("Reshape", LayoutRules::reshape);
        rules.put("Transpose", c -> {
            Shape s = c.shape(0);
            if (s == null) {
                return one(c.type(0), null);
            }
            long[] perm = c.intsAttr("perm").orElseGet(() -> revers(s.rank()));
            List<Dim> out = new ArrayList<>();
            for (long p : perm) {
                out.add(Dims.strip(s.dims().get((int) p)));
            }
            return one(c.type(0), new Shape(out));
        });
        rules.put("Concat", LayoutRules::concat);
        rules.put("Gather", c -> {
            Shape d = c.shape(0);
            Shape i = c.shape(1);
            if (d == null || i == null) {
                return one(c.type(0), null);
            }
            int axis = Dims.axis(c.intAttr("axis", 0), d.rank());
            List<Dim> out = new ArrayList<>(d.dims().subList(0, axis));
            out.addAll(i.dims());
            out.addAll(d.dims().subList(axis + 1, d.rank()));
            return one(c.type(0), new Shape(out.stream().map(Dims::strip).toList()));
        });
        rules.put("Shape", c -> {
            Shape s = c.shape(0);
            if (s == null) {
                return one(DataType.INT64, new Shape(List.of(Dim.unknown())));
            }
            long r = s.rank();
            long start = clamp(c.intAttr("start", 0), r);
            long end = clamp(c.intAttr("end", r), r);
            return one(DataType.INT64, Shape.of(Math.max(0, end - start)));
        });
        rules.put("Size", c -> one(DataType.INT64, Shape.of()));
        rules.put("Flatten", c -> {
            Shape s = c.shape(0);
            if (s == null) {
                return one(c.type(0), new Shape(List.of(Dim.unknown(), Dim.unknown())));
            }
            int axis = (int) (c.intAttr("axis", 1) < 0 ? c.intAttr("axis", 1) + s.rank() : c.intAttr("axis", 1));
            return one(c.type(0), new Shape(List.of(Dims.product(s.dims().subList(0, axis)),
                    Dims.product(s.dims().subList(axis, s.rank())))));
        });
        rules.put("Unsqueeze", LayoutRules::unsqueeze);
        rules.put("Squeeze", LayoutRules::squeeze);
        for (String op : List.of("ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceSumSquare",
                "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp")) {
            rules.put(op, LayoutRules::reduce);
        }
        rules.put("ArgMax", LayoutRules::argReduce);
        rules.put("ArgMin", LayoutRules::argReduce);
        rules.put("Constant", c -> c.node().output(0) == null ? List.of() : c.node().output(0).constantValue()
                .map(t -> one(t.dataType(), Shape.of(t.dims()))).orElse(List.of()));
        rules.put("ConstantOfShape", c -> {
            DataType t = c.node().attribute("value").map(a -> ((AttributeValue.TensorValue) a.value()).value().dataType())
                    .orElse(DataType.FLOAT);
            return one(t, c.constLongs(0).map(Shape::of).orElse(null));
        });
        rules.put("Expand", c -> one(c.type(0), c.shape(0) == null ? null
                : c.constLongs(1).map(s -> Dims.broadcast(c.shape(0), Shape.of(s))).orElse(null)));
        rules.put("Slice", LayoutRules::slice);
    }

    private static long[] revers(int r) {
        long[] p = new long[r];
        for (int i = 0; i < r; i++) {
            p[i] = r - 1 - i;
        }
        return p;
    }

    private static long clamp(long v, long r) {
        return Math.max(0, Math.min(r, v < 0 ? v + r : v));
    }

    static List<ValueType.TensorType> one(DataType t, Shape s) {
        return List.of(InferenceContext.of(t, s));
    }

    private static List<ValueType.TensorType> reshape(InferenceContext c) {
        long[] spec = c.opset() < 5 ? c.intsAttr("shape").orElse(null) : c.constLongs(1).orElse(null);
        if (spec == null) {
            Shape target = c.opset() < 5 ? null : c.shape(1);
            boolean rankKnown = target != null && target.rank() == 1 && target.isStatic();
            return one(c.type(0), rankKnown ? Dims.unknownOfRank((int) (long) Dims.value(target.dims().getFirst())) : null);
        }
        Shape in = c.shape(0);
        boolean allowZero = c.intAttr("allowzero", 0) == 1;
        List<Dim> out = new ArrayList<>();
        int infer = -1;
        for (int i = 0; i < spec.length; i++) {
            if (spec[i] == 0 && !allowZero) {
                out.add(in != null && i < in.rank() ? Dims.strip(in.dims().get(i)) : Dim.unknown());
            } else if (spec[i] == -1) {
                infer = i;
                out.add(Dim.unknown());
            } else {
                out.add(Dim.of(spec[i]));
            }
        }
        if (infer >= 0 && in != null) {
            Dim total = Dims.product(in.dims());
            List<Dim> rest = new ArrayList<>(out);
            rest.remove(infer);
            Dim known = Dims.product(rest);
            if (Dims.value(total) != null && Dims.value(known) != null && Dims.value(known) != 0) {
                out.set(infer, Dim.of(Dims.value(total) / Dims.value(known)));
            }
        }
        return one(c.type(0), new Shape(out));
    }

    private static List<ValueType.TensorType> concat(InferenceContext c) {
        int n = c.node().inputs().size();
        Shape first = c.shape(0);
        for (int i = 0; i < n; i++) {
            if (c.shape(i) == null) {
                return one(c.type(0), first == null ? null : Dims.unknownOfRank(first.rank()));
            }
        }
        int axis = Dims.axis(c.intAttr("axis", 0), first.rank());
        List<Dim> out = new ArrayList<>(first.dims().stream().map(Dims::strip).toList());
        long sum = 0;
        boolean known = true;
        for (int i = 0; i < n; i++) {
            Long v = Dims.value(c.shape(i).dims().get(axis));
            known &= v != null;
            sum += v == null ? 0 : v;
        }
        out.set(axis, known ? Dim.of(sum) : Dim.unknown());
        return one(c.type(0), new Shape(out));
    }

    private static long[] axesOf(InferenceContext c) {
        boolean asInput = switch (c.node().opType()) {
            case "Unsqueeze", "Squeeze", "ReduceSum" -> c.opset() >= 13;
            default -> c.opset() >= 18;
        };
        return asInput ? c.constLongs(1).orElse(null) : c.intsAttr("axes").orElse(null);
    }

    private static List<ValueType.TensorType> unsqueeze(InferenceContext c) {
        Shape s = c.shape(0);
        long[] axes = axesOf(c);
        if (s == null || axes == null) {
            return one(c.type(0), null);
        }
        int r = s.rank() + axes.length;
        boolean[] ins = new boolean[r];
        for (long a : axes) {
            ins[Dims.axis(a, r)] = true;
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0, j = 0; i < r; i++) {
            out.add(ins[i] ? Dim.of(1) : Dims.strip(s.dims().get(j++)));
        }
        return one(c.type(0), new Shape(out));
    }

    private static List<ValueType.TensorType> squeeze(InferenceContext c) {
        Shape s = c.shape(0);
        long[] axes = axesOf(c);
        boolean axesGiven = c.opset() >= 13 ? c.hasInput(1) : c.node().attribute("axes").isPresent();
        if (s == null || (axesGiven && axes == null)) {
            return one(c.type(0), null);
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < s.rank(); i++) {
            final int dim = i;
            boolean drop = axes == null ? Long.valueOf(1).equals(Dims.value(s.dims().get(i)))
                    : Arrays.stream(axes).anyMatch(a -> Dims.axis(a, s.rank()) == dim);
            if (axes == null && !(s.dims().get(i) instanceof Dim.Fixed)) {
                return one(c.type(0), null);
            }
            if (!drop) {
                out.add(Dims.strip(s.dims().get(i)));
            }
        }
        return one(c.type(0), new Shape(out));
    }

    private static List<ValueType.TensorType> reduce(InferenceContext c) {
        Shape s = c.shape(0);
        boolean keep = c.intAttr("keepdims", 1) == 1;
        long[] axes = axesOf(c);
        boolean axesGiven = c.node().opType().equals("ReduceSum") && c.opset() >= 13 || c.opset() >= 18
                ? c.hasInput(1) : c.node().attribute("axes").isPresent();
        if (s == null || (axesGiven && axes == null)) {
            return one(c.type(0), null);
        }
        if (axes == null || axes.length == 0) {
            if (c.intAttr("noop_with_empty_axes", 0) == 1) {
                return one(c.type(0), s);
            }
            axes = new long[s.rank()];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = i;
            }
        }
        return one(c.type(0), reduced(s, axes, keep));
    }

    private static List<ValueType.TensorType> argReduce(InferenceContext c) {
        Shape s = c.shape(0);
        if (s == null) {
            return one(DataType.INT64, null);
        }
        return one(DataType.INT64, reduced(s, new long[] {c.intAttr("axis", 0)}, c.intAttr("keepdims", 1) == 1));
    }

    private static Shape reduced(Shape s, long[] axes, boolean keep) {
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < s.rank(); i++) {
            final int dim = i;
            boolean r = Arrays.stream(axes).anyMatch(a -> Dims.axis(a, s.rank()) == dim);
            if (!r) {
                out.add(Dims.strip(s.dims().get(i)));
            } else if (keep) {
                out.add(Dim.of(1));
            }
        }
        return new Shape(out);
    }

    private static List<ValueType.TensorType> slice(InferenceContext c) {
        Shape s = c.shape(0);
        if (s == null) {
            return one(c.type(0), null);
        }
        long[] starts = c.opset() < 10 ? c.intsAttr("starts").orElse(null) : c.constLongs(1).orElse(null);
        long[] ends = c.opset() < 10 ? c.intsAttr("ends").orElse(null) : c.constLongs(2).orElse(null);
        long[] axes = c.opset() < 10 ? c.intsAttr("axes").orElse(null) : c.constLongs(3).orElse(null);
        long[] steps = c.opset() < 10 ? null : c.constLongs(4).orElse(null);
        boolean axesUnknown = c.opset() >= 10 && c.hasInput(3) && axes == null;
        if (starts == null || ends == null || axesUnknown || (c.opset() >= 10 && c.hasInput(4) && steps == null)) {
            if (axesUnknown || (axes == null && !c.hasInput(3) && c.opset() >= 10 && starts == null)) {
                return one(c.type(0), Dims.unknownOfRank(s.rank()));
            }
            List<Dim> out = new ArrayList<>(s.dims().stream().map(Dims::strip).toList());
            long[] sliced = axes != null ? axes : java.util.stream.LongStream.range(0, starts.length).toArray();
            for (long a : sliced) {
                out.set(Dims.axis(a, s.rank()), Dim.unknown());
            }
            return one(c.type(0), new Shape(out));
        }
        List<Dim> out = new ArrayList<>(s.dims().stream().map(Dims::strip).toList());
        for (int k = 0; k < starts.length; k++) {
            int ax = Dims.axis(axes == null ? k : axes[k], s.rank());
            Long dim = Dims.value(s.dims().get(ax));
            long step = steps == null ? 1 : steps[k];
            if (dim == null || step == 0) {
                out.set(ax, Dim.unknown());
                continue;
            }
            long st = starts[k] < 0 ? starts[k] + dim : starts[k];
            long en = ends[k] < 0 && ends[k] > Long.MIN_VALUE / 2 ? ends[k] + dim : ends[k];
            if (step > 0) {
                st = Math.max(0, Math.min(st, dim));
                en = Math.max(0, Math.min(en, dim));
                out.set(ax, Dim.of(Math.max(0, (en - st + step - 1) / step)));
            } else {
                st = Math.max(-1, Math.min(st, dim - 1));
                en = Math.max(-1, Math.min(en, dim - 1));
                out.set(ax, Dim.of(Math.max(0, (st - en - step - 1) / -step)));
            }
        }
        return one(c.type(0), new Shape(out));
    }
}
