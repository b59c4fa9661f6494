package dev.bantam.onnx.reference;

import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A small, plain evaluator of standard operators on constant inputs, for constant folding: shape
 * arithmetic (Shape, Gather, Concat, Unsqueeze, Squeeze, Reshape, Slice, Range, Expand, ConstantOfShape),
 * Cast, Transpose, Where, and element-wise arithmetic. It favours obvious correctness over speed; anything
 * it does not cover it refuses with {@link UnsupportedOperationException}.
 */
public final class ReferenceEvaluator {

    private static final Set<String> BINARY = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Equal", "Less", "Greater",
            "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor");
    private static final Set<String> UNARY = Set.of("Neg", "Abs", "Sqrt", "Reciprocal", "Exp", "Log", "Relu", "Floor",
            "Ceil", "Not", "Identity");
    private static final Set<String> OTHER = Set.of("Cast", "Reshape", "Transpose", "Concat", "Gather", "Unsqueeze",
            "Squeeze", "Slice", "Range", "Shape", "Expand", "ConstantOfShape", "Where", "Flatten", "Max", "Min", "Sum");

    private ReferenceEvaluator() {
    }

    /** Whether {@code opType} of the default domain is covered. */
    public static boolean supports(String opType) {
        return BINARY.contains(opType) || UNARY.contains(opType) || OTHER.contains(opType);
    }

    /** Evaluates {@code n} on {@code inputs} (null for absent optional inputs) at operator set {@code opset}. */
    public static List<NdArray> evaluate(Node n, List<NdArray> in, long opset) {
        return evaluate(n, in, opset, Integer.MAX_VALUE - 8);
    }

    /**
     * As {@link #evaluate(Node, List, long)}, but refuses, before allocating
     * anything, when the result would hold more than {@code maxElements} elements ({@link ResultTooLargeException}) (Range, Expand,
     * ConstantOfShape, broadcasting and Gather can produce far more than their inputs hold).
     */
    public static List<NdArray> evaluate(Node n, List<NdArray> in, long opset, long maxElements) {
        long bound = ResultBound.of(n.opType(), n, in);
        if (bound > maxElements) {
            throw new ResultTooLargeException("result of " + (bound == Long.MAX_VALUE ? "over 2^63" : bound)
                    + " elements, over the bound of " + maxElements);
        }
        String op = n.opType();
        if (BINARY.contains(op)) {
            requireSameType(op, in.get(0), in.get(1));
            return List.of(ElementwiseOps.binary(op, in.get(0), in.get(1)));
        }
        if (UNARY.contains(op)) {
            return List.of(ElementwiseOps.unary(op, in.get(0)));
        }
        NdArray a = in.isEmpty() ? null : in.get(0);
        return List.of(switch (op) {
            case "Cast" -> ElementwiseOps.cast(a, DataType.fromCode((int) n.intAttribute("to", 0)));
            case "Reshape" -> LayoutOps.withShape(a, LayoutOps.reshapeTarget(a.shape(),
                    opset < 5 ? ints(n, "shape") : longs(in.get(1)), n.intAttribute("allowzero", 0) == 1));
            case "Flatten" -> flatten(a, (int) n.intAttribute("axis", 1));
            case "Transpose" -> LayoutOps.transpose(a, n.attribute("perm").isPresent() ? ints(n, "perm") : null);
            case "Concat" -> {
                NdArray[] parts = in.toArray(NdArray[]::new);
                int r = parts[0].rank();
                long axis = n.intAttribute("axis", 0);
                yield LayoutOps.concat(parts, (int) (axis < 0 ? axis + r : axis));
            }
            case "Gather" -> {
                long axis = n.intAttribute("axis", 0);
                yield LayoutOps.gather(a, in.get(1), (int) (axis < 0 ? axis + a.rank() : axis));
            }
            case "Unsqueeze" -> unsqueeze(a, opset < 13 ? ints(n, "axes") : longs(in.get(1)));
            case "Squeeze" -> squeeze(a, opset < 13 ? (n.attribute("axes").isPresent() ? ints(n, "axes") : null)
                    : (in.size() > 1 && in.get(1) != null ? longs(in.get(1)) : null));
            case "Slice" -> opset < 10
                    ? LayoutOps.slice(a, ints(n, "starts"), ints(n, "ends"),
                    n.attribute("axes").isPresent() ? ints(n, "axes") : null, null)
                    : LayoutOps.slice(a, longs(in.get(1)), longs(in.get(2)), optional(in, 3), optional(in, 4));
            case "Range" -> LayoutOps.range(in.get(0), in.get(1), in.get(2));
            case "Shape" -> shape(a, n);
            case "Expand" -> LayoutOps.expand(a, longs(in.get(1)));
            case "ConstantOfShape" -> LayoutOps.constantOfShape(longs(a), n.attribute("value")
                    .map(x -> NdArray.of(((AttributeValue.TensorValue) x.value()).value())).orElse(null));
            case "Where" -> ElementwiseOps.where(in.get(0), in.get(1), in.get(2));
            case "Max", "Min", "Sum" -> {
                NdArray acc = in.get(0);
                for (int i = 1; i < in.size(); i++) {
                    requireSameType(op, acc, in.get(i));
                    acc = ElementwiseOps.binary(op.equals("Sum") ? "Add" : op, acc, in.get(i));
                }
                yield acc;
            }
            default -> throw new UnsupportedOperationException(op);
        });
    }

    private static void requireSameType(String op, NdArray a, NdArray b) {
        if (a.type() != b.type()) {
            throw new UnsupportedOperationException(op + " of " + a.type() + " and " + b.type());
        }
    }

    private static NdArray flatten(NdArray a, int axis) {
        int ax = axis < 0 ? axis + a.rank() : axis;
        long outer = 1;
        for (int i = 0; i < ax; i++) {
            outer *= a.shape()[i];
        }
        return LayoutOps.withShape(a, new long[] {outer, NdArray.count(a.shape()) / Math.max(1, outer)});
    }

    private static NdArray unsqueeze(NdArray a, long[] axes) {
        int r = a.rank() + axes.length;
        boolean[] inserted = new boolean[r];
        for (long x : axes) {
            inserted[(int) (x < 0 ? x + r : x)] = true;
        }
        long[] shape = new long[r];
        for (int i = 0, j = 0; i < r; i++) {
            shape[i] = inserted[i] ? 1 : a.shape()[j++];
        }
        return LayoutOps.withShape(a, shape);
    }

    private static NdArray squeeze(NdArray a, long[] axes) {
        List<Long> shape = new ArrayList<>();
        for (int i = 0; i < a.rank(); i++) {
            final int dim = i;
            boolean drop = axes == null ? a.shape()[i] == 1
                    : Arrays.stream(axes).anyMatch(x -> (x < 0 ? x + a.rank() : x) == dim);
            if (drop && a.shape()[i] != 1) {
                throw new IllegalArgumentException("Squeeze of a dimension that is not 1");
            }
            if (!drop) {
                shape.add(a.shape()[i]);
            }
        }
        return LayoutOps.withShape(a, shape.stream().mapToLong(Long::longValue).toArray());
    }

    private static NdArray shape(NdArray a, Node n) {
        int r = a.rank();
        long start = n.intAttribute("start", 0);
        long end = n.intAttribute("end", r);
        start = Math.max(0, Math.min(r, start < 0 ? start + r : start));
        end = Math.max(0, Math.min(r, end < 0 ? end + r : end));
        long[] s = Arrays.copyOfRange(a.shape(), (int) start, (int) Math.max(start, end));
        return NdArray.ofLongs(DataType.INT64, new long[] {s.length}, s);
    }

    private static long[] optional(List<NdArray> in, int i) {
        return in.size() > i && in.get(i) != null ? longs(in.get(i)) : null;
    }

    static long[] longs(NdArray a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.getLong(i);
        }
        return out;
    }

    private static long[] ints(Node n, String name) {
        return n.attribute(name).map(x -> ((AttributeValue.IntsValue) x.value()).value())
                .orElseThrow(() -> new UnsupportedOperationException(n.opType() + " without " + name));
    }
}
