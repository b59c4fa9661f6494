package dev.bantam.onnx.ir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * How a tensor's elements are stored. The form a file used is kept so that a model written back is the same
 * message it was read from; {@link Tensor#bytes()} gives every numeric form as raw little-endian bytes.
 */
public sealed interface TensorData {

    /**
     * Raw little-endian element bytes: on the heap, off-heap, or a slice of a memory-mapped model file. A heap
     * segment over an array other than {@code byte[]} (e.g. {@code MemorySegment.ofArray(int[])}) is copied into
     * a {@code byte[]}: such a segment cannot become a {@link java.nio.ByteBuffer}, which file writes need.
     */
    record Raw(MemorySegment bytes) implements TensorData {

        public Raw {
            if (!bytes.isNative() && !(bytes.heapBase().orElse(null) instanceof byte[])) {
                bytes = MemorySegment.ofArray(bytes.toArray(ValueLayout.JAVA_BYTE));
            }
        }
    }

    /** Elements in one of TensorProto's typed fields (float_data, int32_data, ...). */
    record Fields(FieldKind kind, Object array) implements TensorData {

        public Fields {
            kind.checkArray(array);
        }

        public int count() {
            return java.lang.reflect.Array.getLength(array);
        }
    }

    /** STRING tensors: one byte string per element. */
    record Strings(List<byte[]> values) implements TensorData {
        public Strings {
            values = List.copyOf(values);
        }
    }

    /** Bytes in an external file, mapped lazily. */
    record External(ExternalLocation location) implements TensorData {
    }

    /** No data field at all, as for tensors with zero elements. */
    record Absent() implements TensorData {
    }

    /** TensorProto's typed storage fields and the Java array each one holds. */
    enum FieldKind {
        FLOAT_DATA(float[].class),
        INT32_DATA(int[].class),
        INT64_DATA(long[].class),
        DOUBLE_DATA(double[].class),
        UINT64_DATA(long[].class);

        private final Class<?> arrayClass;

        FieldKind(Class<?> arrayClass) {
            this.arrayClass = arrayClass;
        }

        void checkArray(Object array) {
            if (!arrayClass.isInstance(array)) {
                throw new IllegalArgumentException(this + " holds " + arrayClass.getSimpleName());
            }
        }
    }
}
