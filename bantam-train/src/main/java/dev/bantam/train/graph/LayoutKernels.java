package dev.bantam.train.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Shape and layout: Reshape, Flatten, Transpose, Concat, Split, Slice, Gather, Squeeze, Unsqueeze, Expand, Shape, Cast. */
final class LayoutKernels {

    private LayoutKernels() {
    }

    static void register(Map<String, Kernel> t) {
        t.put("Reshape", LayoutKernels::reshape);
        t.put("Flatten", c -> {
            Shape s = c.x().getShape();
            int axis = Attrs.axis(c.intAttr("axis", 1), s.dimension());
            return List.of(c.x().reshape(s.slice(0, axis).size(), s.slice(axis).size()));
        });
        t.put("Transpose", c -> {
            long[] perm = c.intsAttr("perm");
            if (perm == null) {
                return List.of(c.x().transpose());
            }
            return List.of(c.x().transpose(Arrays.stream(perm).mapToInt(p -> (int) p).toArray()));
        });
        t.put("Concat", c -> {
            int axis = Attrs.axis(c.intAttr("axis", 0), c.x().getShape().dimension());
            NDList parts = new NDList();
            c.inputs().stream().filter(a -> a.getShape().size() > 0 || c.inputs().size() == 1).forEach(parts::add);
            return List.of(parts.size() == 1 ? parts.head() : ai.djl.ndarray.NDArrays.concat(parts, axis));
        });
        t.put("Split", LayoutKernels::split);
        t.put("Pad", Padding::pad);
        t.put("Tile", Padding::tile);
        t.put("Slice", LayoutKernels::slice);
        t.put("Gather", LayoutKernels::gather);
        t.put("Squeeze", c -> {
            long[] axes = c.opset() < 13 ? c.intsAttr("axes") : c.in(1) == null ? null : c.in(1).toLongArray();
            if (axes == null) {
                return List.of(c.x().squeeze());
            }
            int r = c.x().getShape().dimension();
            return List.of(c.x().squeeze(Arrays.stream(axes).mapToInt(a -> Attrs.axis(a, r)).toArray()));
        });
        t.put("Unsqueeze", c -> {
            long[] axes = c.opset() < 13 ? c.intsAttr("axes") : c.in(1).toLongArray();
            int r = c.x().getShape().dimension() + axes.length;
            int[] sorted = Arrays.stream(axes).mapToInt(a -> Attrs.axis(a, r)).sorted().toArray();
            NDArray y = c.x();
            for (int a : sorted) {
                y = y.expandDims(a);
            }
            return List.of(y);
        });
        t.put("Expand", c -> List.of(c.x().broadcast(Broadcast.shape(c.x().getShape(),
                new Shape(c.in(1).toLongArray())))));
        t.put("Shape", c -> {
            long[] dims = c.x().getShape().getShape();
            int r = dims.length;
            int start = Attrs.axis(Math.max(-r, Math.min(r, c.intAttr("start", 0))), r);
            int end = Attrs.axis(Math.max(-r, Math.min(r, c.intAttr("end", r))), r);
            return List.of(c.manager().create(Arrays.copyOfRange(dims, start, Math.max(start, end))));
        });
        t.put("Cast", c -> List.of(c.x().toType(Torch.of(
                dev.bantam.onnx.ir.DataType.fromCode((int) c.intAttr("to", 1))), false)));
        t.put("ConstantOfShape", c -> {
            long[] dims = c.x().toLongArray();
            NDArray value = c.node().attribute("value").isPresent() ? Constants.attribute(c) : null;
            DataType type = value == null ? DataType.FLOAT32 : value.getDataType();
            NDArray zeros = c.manager().zeros(new Shape(dims), type);
            return List.of(value == null ? zeros : zeros.add(value.reshape(new Shape())));
        });
        t.put("Constant", c -> List.of(Constants.attribute(c)));
        t.put("Range", c -> {
            NDArray start = c.in(0);
            long n = (long) Math.max(0, Math.ceil((c.in(1).toType(DataType.FLOAT64, false).getDouble()
                    - start.toType(DataType.FLOAT64, false).getDouble()) / c.in(2).toType(DataType.FLOAT64,
                    false).getDouble()));
            NDArray idx = c.manager().arange(0, n, 1, start.getDataType());
            return List.of(idx.mul(c.in(2)).add(start));
        });
    }

    private static List<NDArray> reshape(Kernel.Call c) {
        long[] target = c.opset() < 5 ? c.intsAttr("shape") : c.in(1).toLongArray();
        long[] dims = c.x().getShape().getShape();
        long[] out = target.clone();
        boolean allowZero = c.intAttr("allowzero", 0) == 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0 && !allowZero) {
                out[i] = dims[i];
            }
        }
        return List.of(c.x().reshape(new Shape(out)));
    }

    private static List<NDArray> split(Kernel.Call c) {
        NDArray x = c.x();
        int axis = Attrs.axis(c.intAttr("axis", 0), x.getShape().dimension());
        long[] sizes = c.opset() < 13 ? c.intsAttr("split") : c.in(1) == null ? null : c.in(1).toLongArray();
        int outputs = c.node().outputs().size();
        long dim = x.getShape().get(axis);
        if (sizes == null) {
            long chunk = (dim + outputs - 1) / outputs;
            sizes = new long[outputs];
            for (int i = 0; i < outputs; i++) {
                sizes[i] = Math.min(chunk, dim - chunk * i);
            }
        }
        List<NDArray> out = new ArrayList<>();
        long at = 0;
        for (long size : sizes) {
            out.add(x.get(range(x.getShape().dimension(), axis, at, at + size, 1)));
            at += size;
        }
        return out;
    }

    private static List<NDArray> slice(Kernel.Call c) {
        NDArray x = c.x();
        int rank = x.getShape().dimension();
        long[] starts = c.opset() < 10 ? c.intsAttr("starts") : c.in(1).toLongArray();
        long[] ends = c.opset() < 10 ? c.intsAttr("ends") : c.in(2).toLongArray();
        long[] axes = c.opset() < 10 ? c.intsAttr("axes") : c.in(3) == null ? null : c.in(3).toLongArray();
        long[] steps = c.opset() < 10 || c.in(4) == null ? null : c.in(4).toLongArray();
        NDArray y = x;
        for (int i = 0; i < starts.length; i++) {
            int axis = Attrs.axis(axes == null ? i : axes[i], rank);
            long step = steps == null ? 1 : steps[i];
            if (step <= 0) {
                throw c.unsupported("a step of " + step);
            }
            long dim = x.getShape().get(axis);
            long s = clampIndex(starts[i], dim);
            long e = clampIndex(ends[i], dim);
            y = y.get(range(rank, axis, s, Math.max(s, e), step));
        }
        return List.of(y);
    }

    private static long clampIndex(long i, long dim) {
        long v = i < 0 ? i + dim : i;
        return Math.max(0, Math.min(dim, v));
    }

    /** Every element along all axes but {@code axis}, where it takes from:to:step. */
    static NDIndex range(int rank, int axis, long from, long to, long step) {
        NDIndex idx = new NDIndex();
        for (int d = 0; d < rank; d++) {
            if (d == axis) {
                idx.addSliceDim(from, to, step);
            } else {
                idx.addAllDim();
            }
        }
        return idx;
    }

    /**
     * Gather along an axis as an embedding lookup: the axis moves to the front, the rest flattens, the rows are
     * looked up by the (negative-wrapped) indices and the result takes the shape data[:axis] + indices + data[axis+1:].
     */
    private static List<NDArray> gather(Kernel.Call c) {
        NDArray data = c.in(0);
        NDArray idx = c.in(1).toType(DataType.INT64, false);
        int rank = data.getShape().dimension();
        int axis = Attrs.axis(c.intAttr("axis", 0), rank);
        long dim = data.getShape().get(axis);
        idx = idx.add(idx.lt(0).toType(DataType.INT64, false).mul(dim));
        int[] front = new int[rank];
        front[0] = axis;
        for (int d = 0, k = 1; d < rank; d++) {
            if (d != axis) {
                front[k++] = d;
            }
        }
        NDArray moved = axis == 0 ? data : data.transpose(front);
        Shape rest = moved.getShape().slice(1);
        NDArray table = moved.reshape(dim, Math.max(1, rest.size()));
        NDArray rows = table.getNDArrayInternal().embedding(idx.flatten(), table, ai.djl.ndarray.types.SparseFormat.DENSE).head();
        Shape idxShape = idx.getShape();
        NDArray picked = rows.reshape(idxShape.addAll(rest));
        if (axis == 0) {
            return List.of(picked);
        }
        int ir = idxShape.dimension();
        int[] back = new int[picked.getShape().dimension()];
        int k = 0;
        for (int d = 0; d < axis; d++) {
            back[k++] = ir + d;
        }
        for (int d = 0; d < ir; d++) {
            back[k++] = d;
        }
        for (int d = ir + axis; d < back.length; d++) {
            back[k++] = d;
        }
        return List.of(picked.transpose(back));
    }
}
