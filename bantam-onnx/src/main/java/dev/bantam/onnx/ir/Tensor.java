package dev.bantam.onnx.ir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable tensor constant: an initializer, a Constant node's value, or an attribute. Its bytes are not
 * read until {@link #bytes()} is called; tensors loaded from a file are slices of the mapped file.
 */
public final class Tensor {

    /** Little-endian element layouts, unaligned since mapped slices carry no alignment guarantee. */
    public static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfDouble DOUBLE_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final DataType dataType;
    private final long[] dims;
    private final TensorData data;
    private final TensorDetails details;
    private volatile MemorySegment converted;

    public Tensor(String name, DataType dataType, long[] dims, TensorData data, TensorDetails details) {
        this.name = name;
        this.dataType = dataType;
        this.dims = dims.clone();
        this.data = data;
        this.details = details == null ? TensorDetails.NONE : details;
    }

    /** A tensor over raw little-endian bytes. */
    public static Tensor ofBytes(String name, DataType type, long[] dims, MemorySegment bytes) {
        return new Tensor(name, type, dims, new TensorData.Raw(bytes), null);
    }

    /** A float32 tensor copied from {@code values}. */
    public static Tensor ofFloats(String name, float[] values, long... dims) {
        MemorySegment seg = Arena.ofAuto().allocate((long) values.length * 4, 8);
        MemorySegment.copy(values, 0, seg, FLOAT_LE, 0, values.length);
        return ofBytes(name, DataType.FLOAT, dims, seg);
    }

    /** An int64 tensor copied from {@code values}. */
    public static Tensor ofLongs(String name, long[] values, long... dims) {
        MemorySegment seg = Arena.ofAuto().allocate((long) values.length * 8, 8);
        MemorySegment.copy(values, 0, seg, LONG_LE, 0, values.length);
        return ofBytes(name, DataType.INT64, dims, seg);
    }

    public String name() {
        return name;
    }

    public DataType dataType() {
        return dataType;
    }

    public long[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public long dim(int axis) {
        return dims[axis];
    }

    public TensorData data() {
        return data;
    }

    /** Doc string, metadata and the other fields few tools use. */
    public TensorDetails details() {
        return details;
    }

    public boolean isExternal() {
        return data instanceof TensorData.External;
    }

    /** Product of the dimensions (0 when any is 0, whatever the others); fails on a negative dimension or overflow. */
    public long elementCount() {
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalStateException("tensor " + shownName() + " has negative dimension " + d);
            }
            if (d == 0) {
                return 0;
            }
        }
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The byte size the shape and type call for in raw storage. */
    public long expectedByteSize() {
        return dataType.byteSize(elementCount());
    }

    /** The byte size actually stored, in raw-storage terms, without reading any bytes. */
    public long storedByteSize() {
        return switch (data) {
            case TensorData.Raw r -> r.bytes().byteSize();
            case TensorData.External e -> e.location().effectiveLength();
            case TensorData.Fields f -> TensorFields.rawSize(f, dataType);
            case TensorData.Strings s -> s.values().stream().mapToLong(b -> b.length).sum();
            case TensorData.Absent a -> 0;
        };
    }

    /**
     * The elements as raw little-endian bytes (sub-byte types packed). For mapped and external data this is a
     * read-only view of the file; typed-field data is converted once and kept.
     */
    public MemorySegment bytes() {
        return switch (data) {
            case TensorData.Raw r -> r.bytes();
            case TensorData.External e -> e.location().source()
                    .slice(e.location().effectiveOffset(), e.location().effectiveLength());
            case TensorData.Fields f -> {
                MemorySegment c = converted;
                if (c == null) {
                    c = TensorFields.toRaw(f, dataType);
                    converted = c;
                }
                yield c;
            }
            case TensorData.Absent a -> MemorySegment.NULL.reinterpret(0);
            case TensorData.Strings s -> throw new UnsupportedOperationException(
                    "tensor " + shownName() + " holds strings, which have no raw byte form");
        };
    }

    /**
     * Drops this tensor's pages of a memory-mapped file from the process's resident memory, once its bytes have
     * been read: the operating system keeps them in its page cache, so reading again costs little, but the
     * process's RSS no longer grows with every weight it has read. A no-op for data that is not mapped.
     */
    public void dropPages() {
        if (data instanceof TensorData.Raw || data instanceof TensorData.External) {
            MemorySegment b = bytes();
            if (b.isMapped() && b.byteSize() > 0) {
                b.unload();
            }
        }
    }

    /** The elements of a FLOAT, FLOAT16, BFLOAT16 or DOUBLE tensor as float32. */
    public float[] toFloatArray() {
        MemorySegment b = bytes();
        int n = Math.toIntExact(elementCount());
        float[] out = new float[n];
        switch (dataType) {
            case FLOAT -> MemorySegment.copy(b, FLOAT_LE, 0, out, 0, n);
            case DOUBLE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getAtIndex(DOUBLE_LE, i);
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.float16ToFloat(b.getAtIndex(SHORT_LE, i));
                }
            }
            case BFLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((b.getAtIndex(SHORT_LE, i) & 0xffff) << 16);
                }
            }
            default -> throw new UnsupportedOperationException(
                    "tensor " + shownName() + " is " + dataType + ", not a floating-point type");
        }
        dropPages(); // the copy is what the caller uses: the file's pages need not stay in this process
        return out;
    }

    /** The elements of an INT64 or INT32 tensor as longs. */
    public long[] toLongArray() {
        MemorySegment b = bytes();
        int n = Math.toIntExact(elementCount());
        long[] out = new long[n];
        switch (dataType) {
            case INT64 -> MemorySegment.copy(b, LONG_LE, 0, out, 0, n);
            case INT32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getAtIndex(INT_LE, i);
                }
            }
            default -> throw new UnsupportedOperationException(
                    "tensor " + shownName() + " is " + dataType + ", not INT64 or INT32");
        }
        return out;
    }

    public Tensor withName(String newName) {
        return new Tensor(newName, dataType, dims, data, details);
    }

    public Tensor withData(TensorData newData) {
        return new Tensor(name, dataType, dims, newData, details);
    }

    @Override
    public String toString() {
        return "Tensor(" + name + ", " + dataType + Arrays.toString(dims) + ", " + data.getClass().getSimpleName() + ")";
    }

    /** Strings as a convenience for STRING tensors. */
    public List<byte[]> strings() {
        if (data instanceof TensorData.Strings s) {
            return s.values();
        }
        throw new UnsupportedOperationException("tensor " + shownName() + " holds no strings");
    }

    /** The name quoted for a message, or "(unnamed)". */
    private String shownName() {
        return name == null ? "(unnamed)" : "'" + name + "'";
    }
}
