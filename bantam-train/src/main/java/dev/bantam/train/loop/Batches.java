package dev.bantam.train.loop;

import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.data.Batch;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

/** Selects rows (items along dimension 0) of a batch already read, in a given order. */
final class Batches {

    private Batches() {
    }

    static Batch select(Batch window, int[] rows) {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : window.feeds().entrySet()) {
            feeds.put(e.getKey(), rows(e.getValue(), rows));
        }
        int[] labels = null;
        if (window.labels() != null) {
            labels = new int[rows.length];
            for (int k = 0; k < rows.length; k++) {
                labels[k] = window.labels()[rows[k]];
            }
        }
        return new Batch(feeds, labels, rows.length);
    }

    private static Tensor rows(Tensor t, int[] rows) {
        long[] dims = t.dims().clone();
        long rowBytes = t.expectedByteSize() / dims[0];
        dims[0] = rows.length;
        byte[] out = new byte[Math.toIntExact(rowBytes * rows.length)];
        MemorySegment dst = MemorySegment.ofArray(out);
        MemorySegment src = t.bytes();
        for (int k = 0; k < rows.length; k++) {
            dst.asSlice(k * rowBytes, rowBytes).copyFrom(src.asSlice(rows[k] * rowBytes, rowBytes));
        }
        return Tensor.ofBytes(t.name(), t.dataType(), dims, MemorySegment.ofArray(out));
    }
}
