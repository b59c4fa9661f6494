package dev.bantam.compress.half;

import dev.bantam.onnx.ir.DataType;

/**
 * The 16-bit float types a model can be converted to. FP16 (IEEE binary16) keeps 11 significant bits but only
 * magnitudes up to 65,504, with normal numbers from 2^-14 (6.1e-5) on; BF16 (bfloat16) keeps float32's range and
 * only 8 significant bits. Rounding is to nearest, ties to even, as ONNX's Cast does.
 */
public enum HalfType {
    FP16(DataType.FLOAT16, 65504f, 0x1p-14f, 11),
    BF16(DataType.BFLOAT16, Float.intBitsToFloat(0x7f7f0000), Float.MIN_NORMAL, 8);

    private final DataType dataType;
    private final float maxFinite;
    private final float minNormal;
    private final int significandBits;

    HalfType(DataType dataType, float maxFinite, float minNormal, int significandBits) {
        this.dataType = dataType;
        this.maxFinite = maxFinite;
        this.minNormal = minNormal;
        this.significandBits = significandBits;
    }

    public DataType dataType() {
        return dataType;
    }

    /** The largest finite magnitude. */
    public float maxFinite() {
        return maxFinite;
    }

    /** The smallest normal magnitude; below it precision falls (subnormals), then values flush to zero. */
    public float minNormal() {
        return minNormal;
    }

    /** Significant bits, the implicit one included: the relative rounding error is at most 2^-bits. */
    public int significandBits() {
        return significandBits;
    }

    /** The name reports use: {@code fp16} or {@code bf16}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code v} rounded to this type, as its 16 bits. */
    public short encode(float v) {
        if (this == FP16) {
            return Float.floatToFloat16(v);
        }
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** The float32 value of 16 bits of this type (exact). */
    public float decode(short bits) {
        return this == FP16 ? Float.float16ToFloat(bits) : Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** {@code v} as this type represents it. */
    public float round(float v) {
        return decode(encode(v));
    }
}
