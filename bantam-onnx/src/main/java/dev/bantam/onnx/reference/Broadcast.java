package dev.bantam.onnx.reference;

/** NumPy-style multidirectional broadcasting of two shapes. */
final class Broadcast {

    private Broadcast() {
    }

    static long[] shape(long[] a, long[] b) {
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long x = i < r - a.length ? 1 : a[i - (r - a.length)];
            long y = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (x != y && x != 1 && y != 1) {
                throw new IllegalArgumentException("shapes do not broadcast");
            }
            out[i] = Math.max(x, y) == 1 ? Math.min(x, y) : Math.max(x, y);
        }
        return out;
    }

    /** For each output index, the index into an operand of shape {@code in} broadcast to {@code out}. */
    static int[] indices(long[] in, long[] out) {
        int n = (int) NdArray.count(out);
        int[] idx = new int[n];
        int r = out.length;
        long[] strides = new long[r];
        long s = 1;
        for (int i = r - 1; i >= 0; i--) {
            int j = i - (r - in.length);
            strides[i] = j < 0 || in[j] == 1 ? 0 : s;
            if (j >= 0) {
                s *= in[j];
            }
        }
        long[] pos = new long[r];
        for (int k = 0; k < n; k++) {
            long off = 0;
            for (int i = 0; i < r; i++) {
                off += pos[i] * strides[i];
            }
            idx[k] = (int) off;
            for (int i = r - 1; i >= 0; i--) {
                if (++pos[i] < out[i]) {
                    break;
                }
                pos[i] = 0;
            }
        }
        return idx;
    }
}
