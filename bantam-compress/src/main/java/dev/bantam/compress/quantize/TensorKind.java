package dev.bantam.compress.quantize;

/** What a quantized tensor is to its node. */
public enum TensorKind {
    WEIGHT, BIAS, ACTIVATION
}
