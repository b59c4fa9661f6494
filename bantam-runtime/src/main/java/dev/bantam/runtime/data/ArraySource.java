package dev.bantam.runtime.data;

import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.DataException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whole arrays (from .npy/.npz files) sliced into batches along their item axis (dimension 0 unless given per
 * array). An array named "labels" (int) gives the labels; every other array must be a model input.
 */
public final class ArraySource implements DataSource {

    private final Map<String, Tensor> arrays;
    private final Map<String, Integer> axes;
    private final int[] labels;
    private final int count;
    private final String description;

    public ArraySource(Map<String, Tensor> all, String description) {
        this(all, Map.of(), description);
    }

    /** @param axes the item axis per array name (0 when absent) */
    public ArraySource(Map<String, Tensor> all, Map<String, Integer> axes, String description) {
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
            int axis = axes.getOrDefault(e.getKey(), 0);
            if (axis >= e.getValue().rank()) {
                throw new DataException("input '" + e.getKey() + "': items along axis " + axis + ", but the array has rank "
                        + e.getValue().rank());
            }
            int items = Math.toIntExact(e.getValue().dim(axis));
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
        this.axes = Map.copyOf(axes);
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
            feeds.put(e.getKey(), slice(e.getKey(), e.getValue(), axes.getOrDefault(e.getKey(), 0), start, n));
        }
        return new Batch(feeds, labels == null ? null : Arrays.copyOfRange(labels, start, start + n), n);
    }

    /** Items {@code start} to {@code start + n - 1} of {@code t} along {@code axis}: a view for axis 0, else a copy. */
    static Tensor slice(String name, Tensor t, int axis, int start, int n) {
        long[] dims = t.dims();
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= dims[i];
        }
        long inner = t.elementCount() / Math.max(1, outer * dims[axis]);
        long itemBytes = t.dataType().byteSize(inner);
        long total = dims[axis];
        dims[axis] = n;
        if (outer == 1) {
            return Tensor.ofBytes(name, t.dataType(), dims, t.bytes().asSlice(start * itemBytes, n * itemBytes));
        }
        MemorySegment out = java.lang.foreign.Arena.ofAuto().allocate(Math.max(8, outer * n * itemBytes), 8)
                .asSlice(0, outer * n * itemBytes);
        for (long o = 0; o < outer; o++) {
            MemorySegment.copy(t.bytes(), (o * total + start) * itemBytes, out, o * n * itemBytes, n * itemBytes);
        }
        return Tensor.ofBytes(name, t.dataType(), dims, out);
    }

    @Override
    public String describe() {
        return description;
    }
}
