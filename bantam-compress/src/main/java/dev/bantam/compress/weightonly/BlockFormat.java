package dev.bantam.compress.weightonly;

/**
 * How weights are stored in blocks: {@code bits} per weight, {@code blockSize} consecutive weights along the
 * reduction axis sharing one scale (and, when asymmetric, one integer zero point). Codes are unsigned, 0 to
 * 2^bits − 1; a symmetric block's zero point is the midpoint 2^(bits−1), the default of ONNX Runtime's
 * MatMulNBits and GatherBlockQuantized when no zero points are given.
 */
public record BlockFormat(int bits, int blockSize, boolean symmetric) {

    public BlockFormat {
        if (bits < 2 || bits > 8) {
            throw new IllegalArgumentException("bits must be 2 to 8, got " + bits);
        }
        if (blockSize < 16 || blockSize > 256 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("blockSize must be a power of two from 16 to 256, got " + blockSize);
        }
    }

    /** The largest code, 2^bits − 1. */
    public int maxCode() {
        return (1 << bits) - 1;
    }

    /** The symmetric zero point, 2^(bits−1). */
    public int midpoint() {
        return 1 << (bits - 1);
    }

    /** Blocks along a reduction axis of length {@code k} (the last one zero-padded). */
    public int blocks(int k) {
        return (k + blockSize - 1) / blockSize;
    }
}
