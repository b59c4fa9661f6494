package dev.bantam.compress;

/**
 * How weights are stored as integers; every technique that quantizes weights has one.
 *
 * @param bits        significant bits (2 to 8); 7 keeps int8 weights within ±63, so the pairwise sums of
 *                    u8×s8 products cannot saturate on CPUs without VNNI ("reduced range")
 * @param signed      signed (int8) or unsigned (uint8) storage
 * @param symmetric   a zero point at the type's middle (0 or 128), or one fitted to each range
 * @param granularity one scale per tensor, per output channel, or per block
 * @param blockSize   elements per block along the reduction axis for {@code PER_BLOCK}; 0 otherwise
 */
public record WeightNumerics(int bits, boolean signed, boolean symmetric, Granularity granularity, int blockSize) {

    public WeightNumerics {
        if (bits < 2 || bits > 8) {
            throw new IllegalArgumentException("weight bits must be 2 to 8, got " + bits);
        }
        if (granularity == null) {
            throw new IllegalArgumentException("weight granularity is required (per-tensor, per-channel or per-block)");
        }
        if (granularity == Granularity.PER_BLOCK ? blockSize < 1 : blockSize != 0) {
            throw new IllegalArgumentException(granularity == Granularity.PER_BLOCK
                    ? "per-block weights need a block size >= 1" : "a block size applies to per-block weights only");
        }
    }

    /** Symmetric 8-bit signed weights with one scale per output channel. */
    public static WeightNumerics int8PerChannel() {
        return new WeightNumerics(8, true, true, Granularity.PER_CHANNEL, 0);
    }

    /** The largest magnitude a symmetric weight takes: 2^(bits-1) - 1 (127 at 8 bits, 63 at 7). */
    public int symmetricMax() {
        return (1 << (bits - 1)) - 1;
    }

    public WeightNumerics withBits(int b) {
        return new WeightNumerics(b, signed, symmetric, granularity, blockSize);
    }

    public WeightNumerics withSigned(boolean s) {
        return new WeightNumerics(bits, s, symmetric, granularity, blockSize);
    }

    public WeightNumerics withGranularity(Granularity g) {
        return new WeightNumerics(bits, signed, symmetric, g, g == Granularity.PER_BLOCK ? blockSize : 0);
    }

    /** Refuses what an 8-bit integer technique cannot store: other bit widths, blocks, asymmetric weights. */
    public void requireInt8(String technique) {
        if (bits != 8 && bits != 7) {
            throw new IllegalArgumentException(technique + " stores 8-bit weights: bits must be 8, or 7 for reduced "
                    + "range, not " + bits + " (low-bit weights are weight-only quantization)");
        }
        if (granularity == Granularity.PER_BLOCK) {
            throw new IllegalArgumentException(technique + " has per-tensor or per-channel weight scales, not per-block");
        }
        if (!symmetric) {
            throw new IllegalArgumentException(technique + " keeps weights symmetric (ONNX Runtime's integer kernels "
                    + "run with a weight zero point at the type's middle); asymmetric weights are refused");
        }
    }
}
