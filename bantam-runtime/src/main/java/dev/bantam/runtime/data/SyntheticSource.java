package dev.bantam.runtime.data;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Dim;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.runtime.DataException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random inputs shaped by the model's declared input types, for users with no data at hand.
 * Dimension 0 is the item axis unless {@code itemAxes} names another for an input; other symbolic dimensions take
 * their size from {@code dims} (default 1).
 * Floats are uniform in [0,1); integer inputs whose name says mask are 1, type ids 0, other ids below
 * {@code maxId}.
 */
public final class SyntheticSource implements DataSource {

    /** Elements of one input of one batch at most (1 GiB of floats). */
    static final long MAX_BATCH_ELEMENTS = 1L << 28;

    private final List<Value> inputs;
    private final Map<String, Integer> itemAxes;
    private final Map<String, Long> dims;
    private final int count;
    private final long seed;
    private final long maxId;

    public SyntheticSource(List<Value> inputs, Map<String, Long> dims, int count, long seed, long maxId) {
        this(inputs, Map.of(), dims, count, seed, maxId);
    }

    /** @param itemAxes the axis holding the items, per input name (0 when absent) */
    public SyntheticSource(List<Value> inputs, Map<String, Integer> itemAxes, Map<String, Long> dims, int count, long seed,
                           long maxId) {
        for (Value v : inputs) {
            if (!(v.type() instanceof ValueType.TensorType t) || t.shape() == null || t.shape().rank() == 0) {
                throw new DataException("input '" + v.name() + "': synthetic data needs a tensor type with a known"
                        + " rank and an item axis, the model declares " + v.type() + "; give it in the spec with "
                        + InputOverrides.PREFIX + v.name() + "=VALUE or =zeros:AxB");
            }
        }
        this.inputs = List.copyOf(inputs);
        this.itemAxes = Map.copyOf(itemAxes);
        this.dims = Map.copyOf(dims);
        this.count = count;
        this.seed = seed;
        this.maxId = maxId;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public Batch batch(int start, int n) {
        Random r = new Random(seed * 1_000_003L + start);
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (Value v : inputs) {
            ValueType.TensorType t = (ValueType.TensorType) v.type();
            List<Dim> shape = t.shape().dims();
            long[] d = new long[shape.size()];
            int axis = itemAxes.getOrDefault(v.name(), 0);
            for (int i = 0; i < d.length; i++) {
                d[i] = i == axis ? n : switch (shape.get(i)) {
                    case Dim.Fixed f -> f.value();
                    case Dim.Symbolic s -> dims.getOrDefault(s.name(), 1L);
                    case Dim.Unknown u -> 1L;
                };
            }
            feeds.put(v.name(), random(v.name(), t.elementType(), d, r));
        }
        return new Batch(feeds, null, n);
    }

    private Tensor random(String name, DataType type, long[] d, Random r) {
        long n = 1;
        for (long x : d) {
            n = x > 0 && n > MAX_BATCH_ELEMENTS / x ? MAX_BATCH_ELEMENTS + 1 : n * x;
        }
        if (n > MAX_BATCH_ELEMENTS) {
            throw new DataException("input '" + name + "': a synthetic batch of shape " + java.util.Arrays.toString(d)
                    + " has more than " + MAX_BATCH_ELEMENTS + " elements; give smaller dims= or --batch");
        }
        MemorySegment seg = Arena.ofAuto().allocate(Math.max(8, type.byteSize(n)), 8).asSlice(0, type.byteSize(n));
        String lower = name.toLowerCase();
        for (long i = 0; i < n; i++) {
            long id = lower.contains("mask") ? 1 : lower.contains("type") ? 0 : r.nextLong(Math.max(1, maxId));
            switch (type) {
                case FLOAT -> seg.setAtIndex(Tensor.FLOAT_LE, i, r.nextFloat());
                case DOUBLE -> seg.setAtIndex(Tensor.DOUBLE_LE, i, r.nextDouble());
                case INT64 -> seg.setAtIndex(Tensor.LONG_LE, i, id);
                case INT32 -> seg.setAtIndex(Tensor.INT_LE, i, (int) id);
                case UINT8, INT8 -> seg.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt(128));
                case BOOL -> seg.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt(2));
                default -> throw new DataException("input '" + name + "': synthetic data cannot make " + type);
            }
        }
        return Tensor.ofBytes(name, type, d, seg);
    }

    @Override
    public String describe() {
        List<String> parts = new ArrayList<>();
        dims.forEach((k, v) -> parts.add(k + "=" + v));
        return "synthetic inputs (" + count + " items, seed " + seed + (parts.isEmpty() ? "" : ", " + String.join(", ", parts)) + ")";
    }
}
