package dev.bantam.compress.prune;

import dev.bantam.compress.CalibrationSettings;
import dev.bantam.compress.NodeScope;
import dev.bantam.compress.TechniqueConfig;

/**
 * Structured pruning: channels removed physically, the same fraction of every space that can lose channels.
 *
 * @param scope         which layers may lose channels: a space with a layer the scope leaves out (by operator type or
 *                      name, or under minWeightSize) is frozen, since every layer of a space loses the same channels
 * @param ratio         fraction of each space's channels to remove, in (0, 1)
 * @param importance    how channels are ranked (the least important go)
 * @param multiple      channels kept per space are rounded up to a multiple of this (8 suits SIMD kernels); 1: exact
 * @param maxSpaceRatio no space loses more than this fraction of its channels, in (0, 1]
 * @param refit         refit the layers reading removed channels by least squares on calibration data ({@link Refit})
 * @param calibration   with refit: items and batch of the calibration run
 * @param damping       with refit: the damping a singular input covariance gets, a fraction of its mean diagonal
 * @param macReduction  instead of one ratio for every space: the fraction of the model's MACs to remove, spaces losing
 *                      {@code multiple} channels at a time, each step the one that costs the least accuracy per MAC
 *                      saved, measured on held-out data ({@link MacSearch}); null for the uniform ratio
 * @param scoreItems    with macReduction: held-out items each candidate is scored on
 * @param biasCompensation with refit: also move into each reader's bias the change of its output's mean (the
 *                      removed channels' mean activation, and the refit's), from the input channels' means on the
 *                      calibration data; measured neutral on the fmnist models (cnn -0.02, resnet +0.15 and -0.12 pt)
 */
public record PruneConfig(NodeScope scope, double ratio, Importance importance, int multiple, double maxSpaceRatio,
                          boolean refit,
                          CalibrationSettings calibration, double damping, Double macReduction, int scoreItems,
                          boolean biasCompensation) implements TechniqueConfig {

    public static final String NAME = "prune-channels";

    public static final java.util.Set<String> SUPPORTED = java.util.Set.of("Conv", "Gemm", "MatMul");

    public PruneConfig {
        if (scope == null) {
            throw new IllegalArgumentException(NAME + ": scope is required");
        }
        scope.requireSupported(SUPPORTED, NAME);
        if (!(ratio > 0 && ratio < 1)) {
            throw new IllegalArgumentException(NAME + ": ratio must be in (0, 1) (a fraction of each space's channels), got "
                    + ratio);
        }
        if (importance == null) {
            throw new IllegalArgumentException(NAME + ": importance is required (l1 or l2)");
        }
        if (multiple < 1) {
            throw new IllegalArgumentException(NAME + ": multiple must be >= 1, got " + multiple);
        }
        if (!(maxSpaceRatio > 0 && maxSpaceRatio <= 1)) {
            throw new IllegalArgumentException(NAME + ": maxSpaceRatio must be in (0, 1], got " + maxSpaceRatio);
        }
        if (calibration == null) {
            throw new IllegalArgumentException(NAME + ": calibration is required");
        }
        if (!(damping > 0 && damping < 1)) {
            throw new IllegalArgumentException(NAME + ": damping must be in (0, 1), got " + damping);
        }
        if (macReduction != null && !(macReduction > 0 && macReduction < 1)) {
            throw new IllegalArgumentException(NAME + ": macReduction must be in (0, 1) (a fraction of the MACs), got "
                    + macReduction);
        }
        if (scoreItems < 1) {
            throw new IllegalArgumentException(NAME + ": scoreItems must be >= 1, got " + scoreItems);
        }
    }

    /**
     * 30% of every space by L1 magnitude, widths kept at multiples of 16 (ONNX Runtime's float convolutions work in
     * blocks of 16 channels on AVX-512, of 8 on AVX2, and run other widths slower: the fmnist resnet pruned to 45 of
     * 64 channels ran at 0.89x, the cnn pruned to multiples of 8 at 0.94x, to multiples of 16 at 1.40x), at most 90% of
     * a space, readers refit on 512 calibration items with 1% damping where needed.
     */
    public static PruneConfig defaults() {
        return new PruneConfig(NodeScope.of(SUPPORTED, 0), 0.3, Importance.L1, 16, 0.9, true, new CalibrationSettings(512, 32), 0.01, null, 512, false);
    }

    public PruneConfig withRatio(double r) {
        return new PruneConfig(scope, r, importance, multiple, maxSpaceRatio, refit, calibration, damping, macReduction, scoreItems, biasCompensation);
    }

    public PruneConfig withImportance(Importance i) {
        return new PruneConfig(scope, ratio, i, multiple, maxSpaceRatio, refit, calibration, damping, macReduction, scoreItems, biasCompensation);
    }

    public PruneConfig withMultiple(int m) {
        return new PruneConfig(scope, ratio, importance, m, maxSpaceRatio, refit, calibration, damping, macReduction, scoreItems, biasCompensation);
    }

    public PruneConfig withMacReduction(Double r) {
        return new PruneConfig(scope, ratio, importance, multiple, maxSpaceRatio, refit, calibration, damping, r, scoreItems, biasCompensation);
    }

    public PruneConfig withScope(NodeScope s) {
        return new PruneConfig(s, ratio, importance, multiple, maxSpaceRatio, refit, calibration, damping, macReduction,
                scoreItems, biasCompensation);
    }

    public PruneConfig withBiasCompensation(boolean on) {
        return new PruneConfig(scope, ratio, importance, multiple, maxSpaceRatio, refit, calibration, damping, macReduction,
                scoreItems, on);
    }

    public PruneConfig withRefit(boolean on) {
        return new PruneConfig(scope, ratio, importance, multiple, maxSpaceRatio, on, calibration, damping, macReduction, scoreItems, biasCompensation);
    }

    /**
     * How many of {@code size} channels to remove: {@code ratio} of them, at most {@code maxSpaceRatio}, the rest
     * rounded up to a multiple of {@code multiple}, at least one kept.
     */
    public long toRemove(long size) {
        long remove = (long) Math.floor(size * Math.min(ratio, maxSpaceRatio) + 1e-9);
        long keep = Math.max(1, size - remove);
        keep = Math.min(size, (keep + multiple - 1) / multiple * multiple);
        return size - keep;
    }

    @Override
    public String technique() {
        return NAME;
    }
}
