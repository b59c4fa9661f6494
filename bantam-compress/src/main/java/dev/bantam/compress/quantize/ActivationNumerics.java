package dev.bantam.compress.quantize;

/**
 * How static quantization stores activations: 8 bits, signed (int8) or unsigned (uint8), with a range centred
 * on zero (symmetric) or fitted to what calibration saw (asymmetric, all 256 levels).
 */
public record ActivationNumerics(boolean signed, boolean symmetric) {

    public QuantType type() {
        return signed ? QuantType.INT8 : QuantType.UINT8;
    }
}
