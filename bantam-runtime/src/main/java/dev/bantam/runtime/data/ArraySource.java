package dev.bantam.runtime.data;

import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.DataException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whole arrays (from .npy/.npz files) sliced into batches along dimension 0. An array named "labels" (int)
 * gives the labels; every other array must be a model input.
 */
public final class ArraySource implements DataSource {

    private final Map<String, Tensor> arrays;
    private final int[] labels;
    private final int count;
    private final String description;

    public ArraySource(Map<String, Tensor> all, String description) {
        Map<String, Tensor> a = new LinkedHashMap<>(all);
        Tensor lab = a.remove("labels");
        if (a.isEmpty()) {
            throw new DataException(description + ": holds no input arrays");
        }
        int n = -1;
        for (Map.Entry<String, Tensor> e : a.entrySet()) {
            if (e.getValue().rank() == 0) {
                throw new DataException("input '" + e.getKey() + "': a scalar array cannot be split into items");
            }
            int items = (int) e.getValue().dim(0);
            if (n >= 0 && items != n) {
                throw new DataException("input '" + e.getKey() + "': " + items + " items, but other arrays have " + n);
            }
            n = items;
        }
        if (lab != null) {
            long[] l = lab.toLongArray();
            if (l.length != n) {
                throw new DataException("labels: " + l.length + " labels for " + n + " items");
            }
            this.labels = Arrays.stream(l).mapToInt(Math::toIntExact).toArray();
        } else {
            this.labels = null;
        }
        this.arrays = a;
        this.count = n;
        this.description = description;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public List<String> labelNames() {
        if (labels == null) {
            return List.of();
        }
        return java.util.stream.IntStream.rangeClosed(0, Arrays.stream(labels).max().orElse(0))
                .mapToObj(Integer::toString).toList();
    }

    @Override
    public Batch batch(int start, int n) {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
            Tensor t = e.getValue();
            long[] dims = t.dims();
            long rowBytes = t.dataType().byteSize(t.elementCount() / Math.max(1, dims[0]));
            dims[0] = n;
            MemorySegment slice = t.bytes().asSlice(start * rowBytes, n * rowBytes);
            feeds.put(e.getKey(), Tensor.ofBytes(e.getKey(), t.dataType(), dims, slice));
        }
        return new Batch(feeds, labels == null ? null : Arrays.copyOfRange(labels, start, start + n), n);
    }

    @Override
    public String describe() {
        return description;
    }
}
