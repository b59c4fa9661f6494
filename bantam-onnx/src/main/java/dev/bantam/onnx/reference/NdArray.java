package dev.bantam.onnx.reference;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A small dense array for the reference evaluator: floating-point types held as doubles, integer and bool
 * types as longs (so int64 shape arithmetic stays exact). Row-major.
 */
public record NdArray(DataType type, long[] shape, double[] f, long[] l) {

    static boolean isFloat(DataType t) {
        return t == DataType.FLOAT || t == DataType.DOUBLE || t == DataType.FLOAT16 || t == DataType.BFLOAT16;
    }

    static boolean supported(DataType t) {
        return isFloat(t) || switch (t) {
            case INT64, INT32, INT16, INT8, UINT8, UINT16, UINT32, BOOL -> true;
            default -> false;
        };
    }

    public static NdArray ofLongs(DataType type, long[] shape, long[] v) {
        return new NdArray(type, shape, null, v);
    }

    public static NdArray ofDoubles(DataType type, long[] shape, double[] v) {
        return new NdArray(type, shape, v, null);
    }

    public int size() {
        return f != null ? f.length : l.length;
    }

    public int rank() {
        return shape.length;
    }

    public double getDouble(int i) {
        return f != null ? f[i] : l[i];
    }

    public long getLong(int i) {
        return l != null ? l[i] : (long) f[i];
    }

    public static NdArray of(Tensor t) {
        if (!supported(t.dataType())) {
            throw new UnsupportedOperationException("the reference evaluator does not handle " + t.dataType());
        }
        int n = Math.toIntExact(t.elementCount());
        MemorySegment b = t.bytes();
        if (isFloat(t.dataType())) {
            double[] v = new double[n];
            if (t.dataType() == DataType.DOUBLE) {
                for (int i = 0; i < n; i++) {
                    v[i] = b.getAtIndex(Tensor.DOUBLE_LE, i);
                }
            } else {
                float[] x = t.toFloatArray();
                for (int i = 0; i < n; i++) {
                    v[i] = x[i];
                }
            }
            return ofDoubles(t.dataType(), t.dims(), v);
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (t.dataType()) {
                case INT64 -> b.getAtIndex(Tensor.LONG_LE, i);
                case INT32 -> b.getAtIndex(Tensor.INT_LE, i);
                case UINT32 -> Integer.toUnsignedLong(b.getAtIndex(Tensor.INT_LE, i));
                case INT16 -> b.getAtIndex(Tensor.SHORT_LE, i);
                case UINT16 -> b.getAtIndex(Tensor.SHORT_LE, i) & 0xffff;
                case INT8 -> b.get(ValueLayout.JAVA_BYTE, i);
                default -> b.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            };
        }
        return ofLongs(t.dataType(), t.dims(), v);
    }

    /** Converts to an IR tensor of this array's type, rounding floating-point values to that type. */
    public Tensor toTensor(String name) {
        int n = size();
        long bytes = type.byteSize(n);
        MemorySegment s = Arena.ofAuto().allocate(Math.max(8, bytes), 8).asSlice(0, bytes);
        for (int i = 0; i < n; i++) {
            switch (type) {
                case FLOAT -> s.setAtIndex(Tensor.FLOAT_LE, i, (float) f[i]);
                case DOUBLE -> s.setAtIndex(Tensor.DOUBLE_LE, i, f[i]);
                case FLOAT16 -> s.setAtIndex(Tensor.SHORT_LE, i, Float.floatToFloat16((float) f[i]));
                case BFLOAT16 -> s.setAtIndex(Tensor.SHORT_LE, i, bfloat16((float) f[i]));
                case INT64 -> s.setAtIndex(Tensor.LONG_LE, i, l[i]);
                case INT32, UINT32 -> s.setAtIndex(Tensor.INT_LE, i, (int) l[i]);
                case INT16, UINT16 -> s.setAtIndex(Tensor.SHORT_LE, i, (short) l[i]);
                default -> s.set(ValueLayout.JAVA_BYTE, i, (byte) l[i]);
            }
        }
        return Tensor.ofBytes(name, type, shape, s);
    }

    /** Round to nearest even, as ONNX Runtime converts float32 to bfloat16. */
    private static short bfloat16(float x) {
        int bits = Float.floatToRawIntBits(x);
        if (Float.isNaN(x)) {
            return (short) 0x7fc0;
        }
        int rounding = 0x7fff + ((bits >> 16) & 1);
        return (short) ((bits + rounding) >> 16);
    }

    static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public String toString() {
        return type + Arrays.toString(shape);
    }
}
