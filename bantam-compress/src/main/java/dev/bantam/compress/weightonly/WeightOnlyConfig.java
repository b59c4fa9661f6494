package dev.bantam.compress.weightonly;

import dev.bantam.compress.CalibrationSettings;
import dev.bantam.compress.NodeScope;
import dev.bantam.compress.TechniqueConfig;
import java.util.Set;

/**
 * Weight-only quantization: the weights of MatMul, Gemm and Conv layers and of embedding tables stored in blocks of
 * {@code blockSize} along the reduction axis, {@code bits} each, with a float scale (and an integer zero point
 * when asymmetric) per block; activations stay float.
 *
 * @param scope         which weights: MatMul and Gemm with a constant 2-D weight, Conv (its blocks along each
 *                      output channel's C/group·kh·kw weights; not as MatMulNBits), Gather from a constant table
 * @param bits          2, 3, 4 or 8 (3 only as DequantizeLinear, in 4-bit elements; tables 4 or 8)
 * @param blockSize     weights per block: a power of two from 16 to 256
 * @param symmetric     zero point fixed at the midpoint (no zero points stored) rather than one per block
 * @param algorithm     RTN, HQQ, GPTQ or AWQ
 * @param format        MatMulNBits / GatherBlockQuantized, or standard blocked DequantizeLinear
 * @param accuracyLevel MatMulNBits' accuracy_level: 4 lets ONNX Runtime compute in int8 (its fast path), 0 or 1
 *                      in float
 * @param actOrder      GPTQ: rows by decreasing Hessian diagonal, with block parameters fixed beforehand
 * @param damping       GPTQ: fraction of the Hessian's mean diagonal added to it
 * @param calibration   GPTQ, AWQ: items and batch size of the calibration run
 * @param targetSize    mixed bit-widths: the model's size as a fraction of the input's (e.g. 0.2); every layer is
 *                      scored at {@code bits} alone on evaluation data and the most sensitive per byte are raised
 *                      to 8 bits while the size stays within the target; null: every layer at {@code bits}
 * @param minFidelity   mixed bit-widths: the least mean cosine to the input's output on evaluation data (e.g.
 *                      0.99); layers are raised to 8 bits, most sensitive per byte first, until the model measures
 *                      at least this (within targetSize when both are given); null: no fidelity target
 * @param scoreItems    with targetSize or minFidelity: evaluation items each layer is scored on
 */
public record WeightOnlyConfig(NodeScope scope, int bits, int blockSize, boolean symmetric, WeightOnlyAlgorithm algorithm,
                               WeightOnlyFormat format, int accuracyLevel, boolean actOrder, double damping,
                               CalibrationSettings calibration, Double targetSize, Double minFidelity,
                               int scoreItems)
        implements TechniqueConfig {

    public static final String NAME = "quantize-weight-only";

    public static final Set<String> SUPPORTED = Set.of("MatMul", "Gemm", "Conv", "Gather");

    public WeightOnlyConfig {
        if (scope == null || algorithm == null || format == null || calibration == null) {
            throw new IllegalArgumentException(NAME + ": scope, algorithm, format and calibration are required");
        }
        scope.requireSupported(SUPPORTED, NAME);
        if (bits != 2 && bits != 3 && bits != 4 && bits != 8) {
            throw new IllegalArgumentException(NAME + ": bits must be 2, 3, 4 or 8, got " + bits);
        }
        if (blockSize < 16 || blockSize > 256 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException(NAME + ": blockSize must be a power of two from 16 to 256, got " + blockSize
                    + (blockSize == 512 ? " (MatMulNBits returns zeros at 512 in ONNX Runtime <= 1.24)" : ""));
        }
        if (bits == 3 && format == WeightOnlyFormat.MATMUL_NBITS) {
            throw new IllegalArgumentException(NAME + ": MatMulNBits stores 2, 4 or 8 bits; 3-bit weights need format "
                    + "dequantize-linear (3-bit codes in 4-bit elements)");
        }
        if (algorithm == WeightOnlyAlgorithm.HQQ && symmetric) {
            throw new IllegalArgumentException(NAME + ": hqq optimises zero points, so it is asymmetric; use rtn for "
                    + "symmetric blocks");
        }
        if (accuracyLevel < 0 || accuracyLevel > 4) {
            throw new IllegalArgumentException(NAME + ": accuracyLevel must be 0 to 4, got " + accuracyLevel);
        }
        if (targetSize != null && !(targetSize > 0 && targetSize < 1)) {
            throw new IllegalArgumentException(NAME + ": targetSize is a fraction of the input's size, in (0, 1); got "
                    + targetSize);
        }
        if (minFidelity != null && !(minFidelity > 0 && minFidelity < 1)) {
            throw new IllegalArgumentException(NAME + ": minFidelity is a mean cosine in (0, 1); got " + minFidelity);
        }
        if ((targetSize != null || minFidelity != null) && bits == 8) {
            throw new IllegalArgumentException(NAME + ": targetSize and minFidelity raise sensitive layers from bits to "
                    + "8; bits must be below 8");
        }
        if (scoreItems < 1) {
            throw new IllegalArgumentException(NAME + ": scoreItems must be >= 1, got " + scoreItems);
        }
        if (!(damping > 0 && damping < 1)) {
            throw new IllegalArgumentException(NAME + ": damping must be in (0, 1), got " + damping);
        }
    }

    /** 4-bit asymmetric RTN in blocks of 32 as MatMulNBits (accuracy level 4), weights of 4096+ elements. */
    public static WeightOnlyConfig defaults() {
        return new WeightOnlyConfig(NodeScope.of(SUPPORTED, 4096), 4, 32, false, WeightOnlyAlgorithm.RTN,
                WeightOnlyFormat.MATMUL_NBITS, 4, true, 0.01, new CalibrationSettings(128, 8), null, null, 64);
    }

    public BlockFormat blockFormat() {
        return new BlockFormat(bits, blockSize, symmetric);
    }

    public WeightOnlyConfig withScope(NodeScope s) {
        return new WeightOnlyConfig(s, bits, blockSize, symmetric, algorithm, format, accuracyLevel, actOrder, damping,
                calibration, targetSize, minFidelity, scoreItems);
    }

    public WeightOnlyConfig with(int newBits, int newBlockSize, WeightOnlyAlgorithm a) {
        return new WeightOnlyConfig(scope, newBits, newBlockSize, symmetric, a, format, accuracyLevel, actOrder, damping,
                calibration, targetSize, minFidelity, scoreItems);
    }

    public WeightOnlyConfig withFormat(WeightOnlyFormat f) {
        return new WeightOnlyConfig(scope, bits, blockSize, symmetric, algorithm, f, accuracyLevel, actOrder, damping,
                calibration, targetSize, minFidelity, scoreItems);
    }

    public WeightOnlyConfig withSymmetric(boolean s) {
        return new WeightOnlyConfig(scope, bits, blockSize, s, algorithm, format, accuracyLevel, actOrder, damping,
                calibration, targetSize, minFidelity, scoreItems);
    }

    /** Whether layers get different widths (a size or fidelity target). */
    public boolean mixedWidths() {
        return targetSize != null || minFidelity != null;
    }

    public WeightOnlyConfig withMinFidelity(Double cosine) {
        return new WeightOnlyConfig(scope, bits, blockSize, symmetric, algorithm, format, accuracyLevel, actOrder, damping,
                calibration, targetSize, cosine, scoreItems);
    }

    public WeightOnlyConfig withTargetSize(Double fraction) {
        return new WeightOnlyConfig(scope, bits, blockSize, symmetric, algorithm, format, accuracyLevel, actOrder, damping,
                calibration, fraction, minFidelity, scoreItems);
    }

    @Override
    public String technique() {
        return NAME;
    }
}
