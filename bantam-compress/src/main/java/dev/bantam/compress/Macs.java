package dev.bantam.compress;

/**
 * Multiply-accumulates per item, by precision: in float, and in 8-bit integers (integer operators, and QDQ
 * products whose operands are both dequantized from 8-bit tensors, which runtimes fuse into integer kernels).
 */
public record Macs(long fp32, long int8) {

    public long total() {
        return fp32 + int8;
    }
}
