package dev.bantam.onnx.reference;

import dev.bantam.onnx.ir.DataType;
import java.util.Arrays;

/** Operators that move elements without arithmetic: reshape, transpose, concat, gather, slice, expand. */
final class LayoutOps {

    private LayoutOps() {
    }

    static NdArray withShape(NdArray a, long[] shape) {
        return new NdArray(a.type(), shape, a.f(), a.l());
    }

    static long[] reshapeTarget(long[] in, long[] spec, boolean allowZero) {
        long[] out = spec.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0 && !allowZero) {
                if (i >= in.length) {
                    throw new IllegalArgumentException("Reshape copies a dimension the input lacks");
                }
                out[i] = in[i];
            }
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("Reshape with two -1 dimensions");
                }
                infer = i;
            } else {
                known *= out[i];
            }
        }
        long total = NdArray.count(in);
        if (infer >= 0) {
            if (known == 0 || total % known != 0) {
                throw new IllegalArgumentException("Reshape cannot infer a dimension");
            }
            out[infer] = total / known;
        }
        if (NdArray.count(out) != total) {
            throw new IllegalArgumentException("Reshape changes the element count");
        }
        return out;
    }

    static NdArray transpose(NdArray a, long[] perm) {
        int r = a.rank();
        long[] p = perm != null ? perm : java.util.stream.LongStream.iterate(r - 1, x -> x - 1).limit(r).toArray();
        long[] shape = new long[r];
        for (int i = 0; i < r; i++) {
            shape[i] = a.shape()[(int) p[i]];
        }
        long[] inStrides = strides(a.shape());
        return gatherBy(a, shape, (pos) -> {
            long off = 0;
            for (int i = 0; i < r; i++) {
                off += pos[i] * inStrides[(int) p[i]];
            }
            return (int) off;
        });
    }

    static NdArray concat(NdArray[] parts, int axis) {
        long[] shape = parts[0].shape().clone();
        shape[axis] = 0;
        for (NdArray p : parts) {
            shape[axis] += p.shape()[axis];
        }
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        int n = (int) NdArray.count(shape);
        boolean f = NdArray.isFloat(parts[0].type());
        double[] fo = f ? new double[n] : null;
        long[] lo = f ? null : new long[n];
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (NdArray p : parts) {
                int block = (int) (NdArray.count(p.shape()) / Math.max(1, outer));
                for (int j = 0; j < block; j++) {
                    int src = (int) (o * block + j);
                    if (f) {
                        fo[k++] = p.getDouble(src);
                    } else {
                        lo[k++] = p.getLong(src);
                    }
                }
            }
        }
        return new NdArray(parts[0].type(), shape, fo, lo);
    }

    static NdArray gather(NdArray data, NdArray indices, int axis) {
        long[] ds = data.shape();
        long[] shape = new long[ds.length - 1 + indices.rank()];
        int k = 0;
        for (int i = 0; i < axis; i++) {
            shape[k++] = ds[i];
        }
        for (long d : indices.shape()) {
            shape[k++] = d;
        }
        for (int i = axis + 1; i < ds.length; i++) {
            shape[k++] = ds[i];
        }
        long inner = 1;
        for (int i = axis + 1; i < ds.length; i++) {
            inner *= ds[i];
        }
        long idxCount = indices.size();
        final long innerF = inner;
        return gatherBy(data, shape, pos -> {
            long flat = 0;
            for (int i = 0; i < shape.length; i++) {
                flat = flat * shape[i] + pos[i];
            }
            long in = flat % innerF;
            long rest = flat / innerF;
            long idxPos = rest % idxCount;
            long out = rest / idxCount;
            long ix = indices.getLong((int) idxPos);
            if (ix < 0) {
                ix += ds[axis];
            }
            if (ix < 0 || ix >= ds[axis]) {
                throw new IllegalArgumentException("Gather index out of range");
            }
            return (int) ((out * ds[axis] + ix) * innerF + in);
        });
    }

    static NdArray slice(NdArray a, long[] starts, long[] ends, long[] axes, long[] steps) {
        int r = a.rank();
        long[] st = new long[r];
        long[] step = new long[r];
        long[] shape = a.shape().clone();
        Arrays.fill(step, 1);
        for (int k = 0; k < starts.length; k++) {
            int ax = (int) (axes == null ? k : (axes[k] < 0 ? axes[k] + r : axes[k]));
            long dim = a.shape()[ax];
            long sp = steps == null ? 1 : steps[k];
            if (sp == 0) {
                throw new IllegalArgumentException("Slice step 0");
            }
            long s = clampStart(starts[k], dim, sp);
            long e = clampEnd(ends[k], dim, sp);
            st[ax] = s;
            step[ax] = sp;
            shape[ax] = sp > 0 ? Math.max(0, (e - s + sp - 1) / sp) : Math.max(0, (s - e - sp - 1) / -sp);
        }
        long[] strides = strides(a.shape());
        return gatherBy(a, shape, pos -> {
            long off = 0;
            for (int i = 0; i < r; i++) {
                off += (st[i] + pos[i] * step[i]) * strides[i];
            }
            return (int) off;
        });
    }

    private static long clampStart(long s, long dim, long step) {
        if (s < 0) {
            s += dim;
        }
        return step > 0 ? Math.max(0, Math.min(s, dim)) : Math.max(-1, Math.min(s, dim - 1));
    }

    private static long clampEnd(long e, long dim, long step) {
        if (e < 0 && e > Long.MIN_VALUE / 2) {
            e += dim;
        }
        return step > 0 ? Math.max(0, Math.min(e, dim)) : Math.max(-1, Math.min(e, dim - 1));
    }

    static NdArray expand(NdArray a, long[] target) {
        long[] shape = Broadcast.shape(a.shape(), target);
        int[] idx = Broadcast.indices(a.shape(), shape);
        return gatherBy(a, shape, null, idx);
    }

    static NdArray range(NdArray start, NdArray limit, NdArray delta) {
        if (NdArray.isFloat(start.type())) {
            double s = start.getDouble(0);
            double d = delta.getDouble(0);
            int n = (int) Math.max(0, Math.ceil((limit.getDouble(0) - s) / d));
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = ElementwiseOps.round(start.type(), s + i * d);
            }
            return NdArray.ofDoubles(start.type(), new long[] {n}, out);
        }
        long s = start.getLong(0);
        long d = delta.getLong(0);
        if (d == 0) {
            throw new IllegalArgumentException("Range delta 0");
        }
        long n = Math.max(0, (limit.getLong(0) - s + d + (d > 0 ? -1 : 1)) / d);
        long[] out = new long[(int) n];
        for (int i = 0; i < n; i++) {
            out[i] = s + i * d;
        }
        return NdArray.ofLongs(start.type(), new long[] {n}, out);
    }

    static NdArray constantOfShape(long[] shape, NdArray value) {
        int n = (int) NdArray.count(shape);
        DataType t = value == null ? DataType.FLOAT : value.type();
        if (NdArray.isFloat(t)) {
            double[] out = new double[n];
            Arrays.fill(out, value == null ? 0 : value.getDouble(0));
            return NdArray.ofDoubles(t, shape, out);
        }
        long[] out = new long[n];
        Arrays.fill(out, value.getLong(0));
        return NdArray.ofLongs(t, shape, out);
    }

    static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    interface Index {
        int of(long[] pos);
    }

    private static NdArray gatherBy(NdArray a, long[] shape, Index index) {
        return gatherBy(a, shape, index, null);
    }

    private static NdArray gatherBy(NdArray a, long[] shape, Index index, int[] precomputed) {
        int n = (int) NdArray.count(shape);
        boolean f = NdArray.isFloat(a.type());
        double[] fo = f ? new double[n] : null;
        long[] lo = f ? null : new long[n];
        long[] pos = new long[shape.length];
        for (int k = 0; k < n; k++) {
            int src = precomputed != null ? precomputed[k] : index.of(pos);
            if (f) {
                fo[k] = a.getDouble(src);
            } else {
                lo[k] = a.getLong(src);
            }
            for (int i = shape.length - 1; i >= 0; i--) {
                if (++pos[i] < shape[i]) {
                    break;
                }
                pos[i] = 0;
            }
        }
        return new NdArray(a.type(), shape, fo, lo);
    }
}
