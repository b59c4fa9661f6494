package dev.bantam.compress.quantize;

import dev.bantam.compress.AccuracyGuard;
import dev.bantam.compress.Granularity;
import dev.bantam.compress.NodeScope;
import dev.bantam.compress.SpeedGuard;
import dev.bantam.compress.TechniqueConfig;
import dev.bantam.compress.WeightNumerics;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Static INT8: weights and activations, activation ranges calibrated on data.
 *
 * @param scope            which nodes: operator types among {@link #SUPPORTED}, exclusions, first/last,
 *                         minimum weight size
 * @param weights          8 or 7 bits, int8 or uint8, symmetric, per tensor or per output channel
 * @param activations      int8 or uint8, symmetric or asymmetric
 * @param calibration      range method, samples, batch
 * @param format           QDQ (QuantizeLinear/DequantizeLinear pairs runtimes fuse) or QOPERATOR (QLinearConv,
 *                         QLinearMatMul, QGemm, QLinearAdd, ...)
 * @param smoothQuantAlpha SmoothQuant migration strength for MatMuls fed by a LayerNormalization (0 = off)
 * @param guard            the accuracy budget, measured on held-out data (the context's evaluation data, else the
 *                         last items of the calibration data, which calibration then does not see); groups (a
 *                         weighted layer or table and the operators joined to it) return to float, most sensitive
 *                         first, until it holds
 * @param speed            the speed guard: groups stay int8 only where the model is measured faster with them, at
 *                         the guard's batch, on real data; off keeps every group the accuracy guard allows, slower or
 *                         not
 * @param keptFloat        groups (by their anchor's name) left in float as the guards of an earlier run decided;
 *                         unlike a scope exclusion, calibration still runs as if they were quantizable, so a
 *                         model's recorded recipe gives the same statistics and the same bytes again
 */
public record StaticQuantizeConfig(NodeScope scope, WeightNumerics weights, ActivationNumerics activations,
                                   Calibration calibration, Format format, double smoothQuantAlpha,
                                   AccuracyGuard guard, SpeedGuard speed, List<String> keptFloat)
        implements TechniqueConfig {

    public static final String NAME = "quantize-static";

    public enum Format { QDQ, QOPERATOR }

    /** Operators with a weight: the layers that make a model slow. */
    public static final Set<String> WEIGHTED_OPS = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul");

    /** Operators that only move or select data: their output keeps their input's scale. */
    public static final Set<String> MOVE_OPS = Set.of("Reshape", "Transpose", "Flatten", "Squeeze", "Unsqueeze",
            "MaxPool");

    /** Operators computed in int8 between weighted layers, when their consumers are quantized too. */
    public static final Set<String> BETWEEN_OPS = Set.of("Add", "Mul", "GlobalAveragePool", "AveragePool", "Concat",
            "Relu", "Clip");

    /** Every operator static quantization can handle (Gather: int8 embedding tables). */
    public static final Set<String> SUPPORTED = union(WEIGHTED_OPS, MOVE_OPS, BETWEEN_OPS, Set.of("Gather"));

    public StaticQuantizeConfig {
        if (scope == null || weights == null || activations == null || calibration == null || format == null
                || guard == null || speed == null) {
            throw new IllegalArgumentException(NAME + ": scope, weights, activations, calibration, format, guard and "
                    + "speed are required");
        }
        scope.requireSupported(SUPPORTED, NAME);
        weights.requireInt8(NAME);
        if (!(smoothQuantAlpha >= 0 && smoothQuantAlpha <= 1)) {
            throw new IllegalArgumentException("SmoothQuant alpha must be in [0, 1], got " + smoothQuantAlpha);
        }
    }

    /**
     * QDQ; asymmetric uint8 activations with symmetric per-channel int8 weights (U8S8, the form ONNX Runtime's
     * x86 kernels run fastest: S8S8 measured 3x slower on ResNet) in 7 bits, so the u8×s8 pair sums of CPUs
     * without VNNI cannot saturate; min-max calibration on 500 items; every supported operator; weights of 16
     * elements or more; SmoothQuant 0.5 where a LayerNormalization feeds MatMuls; the default accuracy guard
     * ({@link AccuracyGuard#defaults()}) and the speed guard at batch 32.
     */
    public static StaticQuantizeConfig defaults() {
        return new StaticQuantizeConfig(NodeScope.of(SUPPORTED, 16),
                new WeightNumerics(7, true, true, Granularity.PER_CHANNEL, 0), new ActivationNumerics(false, false),
                Calibration.defaults(), Format.QDQ, 0.5, AccuracyGuard.defaults(),
                SpeedGuard.defaults(), List.of());
    }

    @Override
    public String technique() {
        return NAME;
    }

    public boolean perChannel() {
        return weights.granularity() == Granularity.PER_CHANNEL;
    }

    public StaticQuantizeConfig withScope(NodeScope s) {
        return new StaticQuantizeConfig(s, weights, activations, calibration, format, smoothQuantAlpha, guard, speed, keptFloat);
    }

    public StaticQuantizeConfig withWeights(WeightNumerics w) {
        return new StaticQuantizeConfig(scope, w, activations, calibration, format, smoothQuantAlpha, guard, speed, keptFloat);
    }

    public StaticQuantizeConfig withActivations(ActivationNumerics a) {
        return new StaticQuantizeConfig(scope, weights, a, calibration, format, smoothQuantAlpha, guard, speed, keptFloat);
    }

    public StaticQuantizeConfig withCalibration(Calibration c) {
        return new StaticQuantizeConfig(scope, weights, activations, c, format, smoothQuantAlpha, guard, speed, keptFloat);
    }

    public StaticQuantizeConfig withFormat(Format f) {
        return new StaticQuantizeConfig(scope, weights, activations, calibration, f, smoothQuantAlpha, guard, speed, keptFloat);
    }

    public StaticQuantizeConfig withSmoothQuant(double alpha) {
        return new StaticQuantizeConfig(scope, weights, activations, calibration, format, alpha, guard, speed, keptFloat);
    }

    public StaticQuantizeConfig withGuard(AccuracyGuard g) {
        return new StaticQuantizeConfig(scope, weights, activations, calibration, format, smoothQuantAlpha, g, speed, keptFloat);
    }

    public StaticQuantizeConfig withSpeed(SpeedGuard sg) {
        return new StaticQuantizeConfig(scope, weights, activations, calibration, format, smoothQuantAlpha, guard, sg, keptFloat);
    }

    /** This config with {@code groups} kept in float (anchor names), as a guard decided. */
    public StaticQuantizeConfig withKeptFloat(List<String> groups) {
        return new StaticQuantizeConfig(scope, weights, activations, calibration, format, smoothQuantAlpha, guard, speed,
                groups);
    }

    @SafeVarargs
    static Set<String> union(Set<String>... sets) {
        Set<String> all = new TreeSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return Set.copyOf(all);
    }
}
