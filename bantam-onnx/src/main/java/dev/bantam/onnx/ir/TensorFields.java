package dev.bantam.onnx.ir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Conversion of TensorProto's typed fields to raw storage, per the ONNX specification: int32_data holds one
 * element of every type narrower than 32 bits (and one packed byte of 4-bit types), uint64_data holds UINT32
 * and UINT64, float_data and double_data hold real and complex values.
 */
final class TensorFields {

    private TensorFields() {
    }

    /** Bytes per field element once converted to raw storage. */
    static int rawWidth(TensorData.FieldKind kind, DataType type) {
        return switch (kind) {
            case FLOAT_DATA -> 4;
            case DOUBLE_DATA, INT64_DATA -> 8;
            case UINT64_DATA -> type == DataType.UINT32 ? 4 : 8;
            case INT32_DATA -> type.bitWidth() == 4 ? 1 : Math.max(1, Math.min(4, type.bitWidth() / 8));
        };
    }

    static long rawSize(TensorData.Fields f, DataType type) {
        return (long) f.count() * rawWidth(f.kind(), type);
    }

    static MemorySegment toRaw(TensorData.Fields f, DataType type) {
        int n = f.count();
        int w = rawWidth(f.kind(), type);
        MemorySegment out = Arena.ofAuto().allocate((long) n * w, 8);
        switch (f.kind()) {
            case FLOAT_DATA -> MemorySegment.copy((float[]) f.array(), 0, out, Tensor.FLOAT_LE, 0, n);
            case DOUBLE_DATA -> MemorySegment.copy((double[]) f.array(), 0, out, Tensor.DOUBLE_LE, 0, n);
            case INT64_DATA -> MemorySegment.copy((long[]) f.array(), 0, out, Tensor.LONG_LE, 0, n);
            case UINT64_DATA -> {
                long[] a = (long[]) f.array();
                for (int i = 0; i < n; i++) {
                    if (w == 4) {
                        out.setAtIndex(Tensor.INT_LE, i, (int) a[i]);
                    } else {
                        out.setAtIndex(Tensor.LONG_LE, i, a[i]);
                    }
                }
            }
            case INT32_DATA -> {
                int[] a = (int[]) f.array();
                for (int i = 0; i < n; i++) {
                    switch (w) {
                        case 1 -> out.set(ValueLayout.JAVA_BYTE, i, (byte) a[i]);
                        case 2 -> out.setAtIndex(Tensor.SHORT_LE, i, (short) a[i]);
                        default -> out.setAtIndex(Tensor.INT_LE, i, a[i]);
                    }
                }
            }
        }
        return out.asReadOnly();
    }
}
