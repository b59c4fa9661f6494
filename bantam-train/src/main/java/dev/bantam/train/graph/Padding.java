package dev.bantam.train.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Pad (constant, reflect and edge modes; the engine pads only with a constant, so reflect and edge are built axis
 * by axis from slices) and Tile (copies concatenated; the engine's tile is unavailable). Negative pads crop.
 */
final class Padding {

    private Padding() {
    }

    static List<NDArray> pad(Kernel.Call c) {
        NDArray x = c.x();
        int rank = x.getShape().dimension();
        long[] pads = c.opset() < 11 ? c.intsAttr("pads") : c.in(1).toLongArray();
        long[] axes = c.opset() >= 18 && c.in(3) != null ? c.in(3).toLongArray() : null;
        long[] begin = new long[rank];
        long[] end = new long[rank];
        int n = axes == null ? rank : axes.length;
        for (int i = 0; i < n; i++) {
            int axis = axes == null ? i : Attrs.axis(axes[i], rank);
            begin[axis] = pads[i];
            end[axis] = pads[i + n];
        }
        String mode = c.stringAttr("mode", "constant");
        float value = 0;
        if (c.opset() < 11) {
            value = c.floatAttr("value", 0f);
        } else if (c.in(2) != null) {
            value = c.in(2).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat();
        }
        return List.of(switch (mode) {
            case "constant" -> constant(x, begin, end, value);
            case "reflect", "edge" -> {
                NDArray y = x;
                for (int a = 0; a < rank; a++) {
                    if (begin[a] < 0 || end[a] < 0) {
                        throw c.unsupported("negative pads in " + mode + " mode");
                    }
                    y = extend(y, a, begin[a], end[a], mode.equals("reflect"), c);
                }
                yield y;
            }
            default -> throw c.unsupported("mode " + mode);
        });
    }

    private static NDArray constant(NDArray x, long[] begin, long[] end, float value) {
        long[] p = new long[2 * begin.length];
        for (int i = 0; i < begin.length; i++) {
            int axis = begin.length - 1 - i;
            p[2 * i] = begin[axis];
            p[2 * i + 1] = end[axis];
        }
        return x.pad(new Shape(p), value);
    }

    private static NDArray extend(NDArray x, int axis, long before, long after, boolean reflect, Kernel.Call c) {
        if (before == 0 && after == 0) {
            return x;
        }
        long dim = x.getShape().get(axis);
        if (reflect && (before >= dim || after >= dim)) {
            throw c.unsupported("reflect pads of " + Math.max(before, after) + " on an axis of " + dim);
        }
        NDList parts = new NDList();
        if (before > 0) {
            parts.add(reflect ? slice(x, axis, 1, before + 1).flip(axis) : repeat(slice(x, axis, 0, 1), axis, before));
        }
        parts.add(x);
        if (after > 0) {
            parts.add(reflect ? slice(x, axis, dim - 1 - after, dim - 1).flip(axis)
                    : repeat(slice(x, axis, dim - 1, dim), axis, after));
        }
        return NDArrays.concat(parts, axis);
    }

    static List<NDArray> tile(Kernel.Call c) {
        NDArray y = c.x();
        long[] repeats = c.in(1).toLongArray();
        for (int a = 0; a < repeats.length; a++) {
            if (repeats[a] > 1) {
                y = repeat(y, a, repeats[a]);
            }
        }
        return List.of(y);
    }

    private static NDArray repeat(NDArray x, int axis, long times) {
        NDList copies = new NDList();
        for (long i = 0; i < times; i++) {
            copies.add(x);
        }
        return times == 1 ? x : NDArrays.concat(copies, axis);
    }

    private static NDArray slice(NDArray x, int axis, long from, long to) {
        return x.get(LayoutKernels.range(x.getShape().dimension(), axis, from, to, 1));
    }

}
