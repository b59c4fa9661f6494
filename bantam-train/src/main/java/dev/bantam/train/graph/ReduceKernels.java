package dev.bantam.train.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Reductions. The engine reduces one axis at a time here (its mean, max and min over several axes at once
 * fail), from the last axis to the first so the remaining axis numbers hold.
 */
final class ReduceKernels {

    private ReduceKernels() {
    }

    /** The reduction operators whose axes became an input at this operator set. */
    private static final Map<String, Integer> AXES_INPUT_SINCE = Map.of("ReduceSum", 13, "ReduceMean", 18,
            "ReduceMax", 18, "ReduceMin", 18, "ReduceL2", 18, "ReduceSumSquare", 18);

    static void register(Map<String, Kernel> t) {
        reduce(t, "ReduceMean", (a, axis) -> a.mean(new int[] {axis}, true));
        reduce(t, "ReduceSum", (a, axis) -> a.sum(new int[] {axis}, true));
        reduce(t, "ReduceMax", (a, axis) -> a.max(new int[] {axis}, true));
        reduce(t, "ReduceMin", (a, axis) -> a.min(new int[] {axis}, true));
        reduce(t, "ReduceSumSquare", (a, axis) -> a.square().sum(new int[] {axis}, true));
        t.put("ReduceL2", c -> {
            Kernel sumSquare = t.get("ReduceSumSquare");
            return List.of(sumSquare.apply(c).get(0).sqrt());
        });
        t.put("ArgMax", c -> {
            int axis = Attrs.axis(c.intAttr("axis", 0), c.x().getShape().dimension());
            NDArray r = c.x().argMax(axis).toType(DataType.INT64, false);
            return List.of(c.intAttr("keepdims", 1) == 1 ? r.expandDims(axis) : r);
        });
    }

    private static void reduce(Map<String, Kernel> t, String op, BiFunction<NDArray, Integer, NDArray> one) {
        t.put(op, c -> {
            NDArray x = c.x();
            int rank = x.getShape().dimension();
            long[] axes = c.opset() >= AXES_INPUT_SINCE.get(op)
                    ? (c.in(1) == null ? null : c.in(1).toLongArray()) : c.intsAttr("axes");
            if (axes == null || axes.length == 0) {
                if (c.intAttr("noop_with_empty_axes", 0) == 1) {
                    return List.of(x);
                }
                axes = new long[rank];
                Arrays.setAll(axes, i -> i);
            }
            int[] sorted = Arrays.stream(axes).mapToInt(a -> Attrs.axis(a, rank)).distinct().sorted().toArray();
            NDArray y = x;
            for (int i = sorted.length - 1; i >= 0; i--) {
                y = one.apply(y, sorted[i]);
            }
            if (c.intAttr("keepdims", 1) == 0) {
                y = y.squeeze(sorted);
            }
            return List.of(y);
        });
    }
}
