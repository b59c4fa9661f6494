package dev.bantam.onnx.ir;

/**
 * ONNX tensor element types with their wire code and storage width. Sub-byte types (4-bit) are packed two
 * to a byte in raw storage, low nibble first, as the ONNX specification prescribes.
 */
public enum DataType {
    UNDEFINED(0, 0),
    FLOAT(1, 32),
    UINT8(2, 8),
    INT8(3, 8),
    UINT16(4, 16),
    INT16(5, 16),
    INT32(6, 32),
    INT64(7, 64),
    STRING(8, 0),
    BOOL(9, 8),
    FLOAT16(10, 16),
    DOUBLE(11, 64),
    UINT32(12, 32),
    UINT64(13, 64),
    COMPLEX64(14, 64),
    COMPLEX128(15, 128),
    BFLOAT16(16, 16),
    FLOAT8E4M3FN(17, 8),
    FLOAT8E4M3FNUZ(18, 8),
    FLOAT8E5M2(19, 8),
    FLOAT8E5M2FNUZ(20, 8),
    UINT4(21, 4),
    INT4(22, 4),
    FLOAT4E2M1(23, 4),
    FLOAT8E8M0(24, 8);

    private static final DataType[] BY_CODE = new DataType[25];

    static {
        for (DataType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int bitWidth;

    DataType(int code, int bitWidth) {
        this.code = code;
        this.bitWidth = bitWidth;
    }

    /** The ONNX {@code TensorProto.DataType} number. */
    public int code() {
        return code;
    }

    /** Bits one element occupies in raw storage; 0 for STRING and UNDEFINED. */
    public int bitWidth() {
        return bitWidth;
    }

    public boolean isFloatingPoint() {
        return switch (this) {
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ,
                 FLOAT4E2M1, FLOAT8E8M0 -> true;
            default -> false;
        };
    }

    /** Integer types narrower than 32 bits: the usual storage of quantized weights and activations. */
    public boolean isLowPrecisionInteger() {
        return switch (this) {
            case INT8, UINT8, INT4, UINT4, INT16, UINT16 -> true;
            default -> false;
        };
    }

    /** Bytes needed to hold {@code count} elements in raw storage (sub-byte types round up). */
    public long byteSize(long count) {
        if (bitWidth == 0) {
            throw new IllegalStateException(this + " has no fixed-width raw storage");
        }
        return (count * bitWidth + 7) / 8;
    }

    /** The type with the given ONNX code; an unknown code is a format error in the model. */
    public static DataType fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            throw new IllegalArgumentException("unknown ONNX data type code " + code);
        }
        return BY_CODE[code];
    }
}
