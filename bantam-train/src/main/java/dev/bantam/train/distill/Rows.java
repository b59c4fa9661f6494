package dev.bantam.train.distill;

import dev.bantam.onnx.ir.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** Splitting a batched tensor into items and stacking them back (dimension 0). */
final class Rows {

    private Rows() {
    }

    static Tensor row(Tensor t, int k) {
        long[] d = t.dims().clone();
        long rowBytes = t.expectedByteSize() / d[0];
        d[0] = 1;
        byte[] copy = t.bytes().asSlice(k * rowBytes, rowBytes).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        return Tensor.ofBytes(t.name(), t.dataType(), d, MemorySegment.ofArray(copy));
    }

    /** The rows stacked, or null when their shapes differ (sequences padded to different lengths). */
    static Tensor stack(String name, List<java.util.Map<String, Tensor>> rows) {
        Tensor first = rows.get(0).get(name);
        for (java.util.Map<String, Tensor> r : rows) {
            if (!java.util.Arrays.equals(r.get(name).dims(), first.dims())) {
                return null;
            }
        }
        long rowBytes = first.expectedByteSize();
        byte[] out = new byte[Math.toIntExact(rowBytes * rows.size())];
        MemorySegment dst = MemorySegment.ofArray(out);
        for (int k = 0; k < rows.size(); k++) {
            dst.asSlice(k * rowBytes, rowBytes).copyFrom(rows.get(k).get(name).bytes());
        }
        long[] d = first.dims().clone();
        d[0] = rows.size();
        return Tensor.ofBytes(name, first.dataType(), d, MemorySegment.ofArray(out));
    }
}
