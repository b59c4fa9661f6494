package dev.bantam.compress.quantize;

/**
 * Scale and zero point of one quantized tensor: {@code real = (q - zeroPoint) * scale}.
 */
public record QuantParams(float scale, int zeroPoint, QuantType type) {

    /**
     * Parameters covering {@code [lo, hi]} (widened to include zero, so zero is exact). Symmetric ranges use
     * the type's symmetric zero point and the larger magnitude; asymmetric ranges use all 256 levels.
     */
    public static QuantParams forRange(double lo, double hi, QuantType type, boolean symmetric) {
        lo = Math.min(lo, 0);
        hi = Math.max(hi, 0);
        if (symmetric) {
            double m = Math.max(-lo, hi);
            float scale = m == 0 ? 1f : (float) (m / ((type.max() - type.min()) / 2.0));
            return new QuantParams(scale, type.symmetricZeroPoint(), type);
        }
        if (hi == lo) {
            return new QuantParams(1f, 0, type); // only zero was seen: any zero point represents it
        }
        float scale = (float) ((hi - lo) / (type.max() - type.min()));
        long zp = Math.round(type.min() - lo / scale);
        return new QuantParams(scale, (int) Math.max(type.min(), Math.min(type.max(), zp)), type);
    }

    public float dequantize(int q) {
        return (q - zeroPoint) * scale;
    }

    /** The real values the quantized type can represent: {@code [low, high]}. */
    public double low() {
        return dequantize(type.min());
    }

    public double high() {
        return dequantize(type.max());
    }
}
