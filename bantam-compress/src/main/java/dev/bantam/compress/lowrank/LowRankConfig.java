package dev.bantam.compress.lowrank;

import dev.bantam.compress.CalibrationSettings;
import dev.bantam.compress.NodeScope;
import dev.bantam.compress.TechniqueConfig;
import java.util.Set;

/**
 * Low-rank factorization: a weighted layer becomes two thinner ones, W ≈ A·B.
 *
 * @param scope       which layers: MatMul and Gemm with a 2-D constant weight, Conv (not grouped)
 * @param rank        how each layer's rank is chosen
 * @param dataAware   whiten by the layer input's covariance from calibration data (SVD-LLM, Wang et al., 2024):
 *                    the truncation then minimizes the error of the layer's output on that data, not of its weight
 * @param conv        channel SVD, spatial SVD or Tucker-2 for convolutions (spatial and Tucker are data-free)
 * @param calibration with dataAware: items and batch size of the calibration run
 * @param damping     with dataAware: the damping a singular covariance gets, as a fraction of its mean diagonal
 * @param timingBatch items per run when each factorized layer is timed alone in ONNX Runtime before and after
 *                    (the layer's input shapes come from one run on the context's data; without data, or 0: not
 *                    timed)
 */
public record LowRankConfig(NodeScope scope, RankRule rank, boolean dataAware, ConvFactorization conv,
                            CalibrationSettings calibration, double damping, int timingBatch) implements TechniqueConfig {

    public static final String NAME = "low-rank";

    public static final Set<String> SUPPORTED = Set.of("MatMul", "Gemm", "Conv");

    public LowRankConfig {
        if (scope == null || rank == null || conv == null || calibration == null) {
            throw new IllegalArgumentException(NAME + ": scope, rank, conv and calibration are required");
        }
        scope.requireSupported(SUPPORTED, NAME);
        if (!(damping > 0 && damping < 1)) {
            throw new IllegalArgumentException(NAME + ": damping must be in (0, 1), got " + damping);
        }
        if (timingBatch < 0) {
            throw new IllegalArgumentException(NAME + ": timingBatch must be >= 0 (0: layers not timed), got " + timingBatch);
        }
    }

    /**
     * Ranks keeping 90% of the energy, data-aware, channel SVD for convolutions, weights of 4,096+ elements, layers
     * timed at batch 32.
     */
    public static LowRankConfig defaults() {
        return new LowRankConfig(NodeScope.of(SUPPORTED, 4096), RankRule.energy(0.9), true, ConvFactorization.CHANNEL,
                new CalibrationSettings(256, 16), 0.01, 32);
    }

    public LowRankConfig withRank(RankRule r) {
        return new LowRankConfig(scope, r, dataAware, conv, calibration, damping, timingBatch);
    }

    public LowRankConfig withDataAware(boolean aware) {
        return new LowRankConfig(scope, rank, aware, conv, calibration, damping, timingBatch);
    }

    public LowRankConfig withConv(ConvFactorization c) {
        return new LowRankConfig(scope, rank, dataAware, c, calibration, damping, timingBatch);
    }

    public LowRankConfig withScope(NodeScope s) {
        return new LowRankConfig(s, rank, dataAware, conv, calibration, damping, timingBatch);
    }

    public LowRankConfig withTimingBatch(int batch) {
        return new LowRankConfig(scope, rank, dataAware, conv, calibration, damping, batch);
    }

    @Override
    public String technique() {
        return NAME;
    }
}
