package dev.bantam.compress.quantize;

import dev.bantam.compress.quantize.calibrate.CalibrationMethod;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * How to quantize. Validated on construction; immutable; change one setting with the {@code with...}
 * methods.
 *
 * @param mode                 DYNAMIC (weights now, activations at run time) or STATIC (calibrated activations)
 * @param format               STATIC only: QDQ (QuantizeLinear/DequantizeLinear pairs that runtimes fuse) or
 *                             QOPERATOR (QLinearConv, QLinearMatMul, QGemm, QLinearAdd, ...)
 * @param perChannel           one scale per output channel of each weight instead of one per tensor
 * @param reduceRange          7-bit weights, for CPUs whose 8-bit integer dot products can saturate (no VNNI)
 * @param activationType       int8 or uint8 for activations (STATIC)
 * @param weightType           int8 or uint8 for weights (symmetric either way)
 * @param symmetricActivations activation ranges centred on zero (asymmetric uses all 256 levels)
 * @param calibration          how activation ranges are chosen from the calibration histograms
 * @param percentile           for PERCENTILE calibration: the percentile kept on each side, in (50, 100]
 * @param opTypes              operator types to quantize
 * @param exclude              node names matching any of these patterns stay in float
 * @param excludeOpTypes       operator types that stay in float whatever {@code opTypes} says
 * @param keepFirstLast        the first and last weighted layers stay in float
 * @param minWeightSize        weights with fewer elements stay in float (quantizing them saves nothing)
 * @param smoothQuantAlpha     SmoothQuant migration strength for MatMuls fed by a LayerNormalization (0 = off)
 */
public record QuantizeConfig(Mode mode, Format format, boolean perChannel, boolean reduceRange,
                             QuantType activationType, QuantType weightType, boolean symmetricActivations,
                             CalibrationMethod calibration, double percentile, Set<String> opTypes,
                             List<Pattern> exclude, Set<String> excludeOpTypes, boolean keepFirstLast,
                             long minWeightSize, double smoothQuantAlpha) {

    public enum Mode { DYNAMIC, STATIC }

    public enum Format { QDQ, QOPERATOR }

    /** What dynamic mode can quantize; by default MatMul and Gather (ORT runs dynamic Conv slower than float). */
    public static final Set<String> DYNAMIC_OPS = Set.of("MatMul", "Gather", "Gemm", "Conv");

    static final Set<String> DYNAMIC_DEFAULT_OPS = Set.of("MatMul", "Gather");

    /** Operators with a weight: the layers that make a model slow. */
    public static final Set<String> WEIGHTED_OPS = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul");

    /** Operators that only move or select data: their output keeps their input's scale. */
    public static final Set<String> MOVE_OPS = Set.of("Reshape", "Transpose", "Flatten", "Squeeze", "Unsqueeze",
            "MaxPool");

    /** Operators computed in int8 between weighted layers, when their consumers are quantized too. */
    public static final Set<String> BETWEEN_OPS = Set.of("Add", "Mul", "GlobalAveragePool", "AveragePool", "Concat",
            "Relu", "Clip");

    public static final Set<String> STATIC_OPS = union(WEIGHTED_OPS, MOVE_OPS, BETWEEN_OPS, Set.of("Gather"));

    public QuantizeConfig {
        if (mode == null || format == null || activationType == null || weightType == null || calibration == null) {
            throw new IllegalArgumentException("mode, format, types and calibration are required");
        }
        opTypes = Set.copyOf(opTypes);
        exclude = List.copyOf(exclude);
        excludeOpTypes = Set.copyOf(excludeOpTypes);
        Set<String> supported = mode == Mode.DYNAMIC ? DYNAMIC_OPS : STATIC_OPS;
        for (String op : opTypes) {
            if (!supported.contains(op)) {
                throw new IllegalArgumentException("cannot quantize " + op + " in " + mode.name().toLowerCase(Locale.ROOT)
                        + " mode; supported: " + new TreeSet<>(supported));
            }
        }
        if (minWeightSize < 0) {
            throw new IllegalArgumentException("minimum weight size must be >= 0");
        }
        if (!(percentile > 50 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (50, 100], got " + percentile);
        }
        if (!(smoothQuantAlpha >= 0 && smoothQuantAlpha <= 1)) {
            throw new IllegalArgumentException("SmoothQuant alpha must be in [0, 1], got " + smoothQuantAlpha);
        }
        if (mode == Mode.DYNAMIC && format == Format.QOPERATOR) {
            throw new IllegalArgumentException("the QOperator format applies to static mode only");
        }
    }

    public static QuantizeConfig dynamicDefaults() {
        return new QuantizeConfig(Mode.DYNAMIC, Format.QDQ, true, false, QuantType.UINT8, QuantType.INT8, false,
                CalibrationMethod.MINMAX, 99.999, DYNAMIC_DEFAULT_OPS, List.of(), Set.of(), false, 1024, 0);
    }

    /**
     * Static defaults: QDQ, asymmetric uint8 activations with symmetric per-channel int8 weights (U8S8, the
     * form ONNX Runtime's x86 kernels run fastest: S8S8 measured 3x slower on ResNet), weights in 7 bits
     * (reduced range) so that the u8 x s8 pair sums of CPUs without VNNI cannot saturate, min-max
     * calibration, every supported operator, SmoothQuant 0.5 where a LayerNormalization feeds MatMuls.
     */
    public static QuantizeConfig staticDefaults() {
        return new QuantizeConfig(Mode.STATIC, Format.QDQ, true, true, QuantType.UINT8, QuantType.INT8, false,
                CalibrationMethod.MINMAX, 99.999, STATIC_OPS, List.of(), Set.of(), false, 16, 0.5);
    }

    public QuantizeConfig withFormat(Format f) {
        return new QuantizeConfig(mode, f, perChannel, reduceRange, activationType, weightType, symmetricActivations,
                calibration, percentile, opTypes, exclude, excludeOpTypes, keepFirstLast, minWeightSize, smoothQuantAlpha);
    }

    public QuantizeConfig withWeights(boolean perChannelWeights, boolean reduce, QuantType type) {
        return new QuantizeConfig(mode, format, perChannelWeights, reduce, activationType, type, symmetricActivations,
                calibration, percentile, opTypes, exclude, excludeOpTypes, keepFirstLast, minWeightSize, smoothQuantAlpha);
    }

    public QuantizeConfig withActivations(QuantType type, boolean symmetric) {
        return new QuantizeConfig(mode, format, perChannel, reduceRange, type, weightType, symmetric,
                calibration, percentile, opTypes, exclude, excludeOpTypes, keepFirstLast, minWeightSize, smoothQuantAlpha);
    }

    public QuantizeConfig withCalibration(CalibrationMethod method, double pct) {
        return new QuantizeConfig(mode, format, perChannel, reduceRange, activationType, weightType, symmetricActivations,
                method, pct, opTypes, exclude, excludeOpTypes, keepFirstLast, minWeightSize, smoothQuantAlpha);
    }

    public QuantizeConfig withOps(Set<String> ops, List<Pattern> excludeNames, Set<String> excludeOps, boolean firstLast) {
        return new QuantizeConfig(mode, format, perChannel, reduceRange, activationType, weightType, symmetricActivations,
                calibration, percentile, ops, excludeNames, excludeOps, firstLast, minWeightSize, smoothQuantAlpha);
    }

    public QuantizeConfig withSmoothQuant(double alpha) {
        return new QuantizeConfig(mode, format, perChannel, reduceRange, activationType, weightType, symmetricActivations,
                calibration, percentile, opTypes, exclude, excludeOpTypes, keepFirstLast, minWeightSize, alpha);
    }

    /** Whether a node of this type and name is to be quantized, by the op lists and the name patterns. */
    boolean selects(String opType, String nodeName) {
        return opTypes.contains(opType) && !excludeOpTypes.contains(opType) && !excluded(nodeName);
    }

    boolean excluded(String nodeName) {
        return nodeName != null && exclude.stream().anyMatch(p -> p.matcher(nodeName).find());
    }

    /** One line for provenance. */
    public String describe() {
        StringBuilder b = new StringBuilder("mode=" + mode.name().toLowerCase(Locale.ROOT));
        if (mode == Mode.STATIC) {
            b.append(" format=").append(format.name().toLowerCase(Locale.ROOT))
                    .append(" activations=").append(activationType.label()).append(symmetricActivations ? "-symmetric" : "")
                    .append(" calibration=").append(calibration.label())
                    .append(calibration == CalibrationMethod.PERCENTILE ? "(" + percentile + ")" : "");
        }
        b.append(" weights=").append(weightType.label()).append(" per-channel=").append(perChannel)
                .append(" reduce-range=").append(reduceRange).append(" ops=").append(new TreeSet<>(opTypes));
        if (!exclude.isEmpty()) {
            b.append(" exclude=").append(exclude);
        }
        if (!excludeOpTypes.isEmpty()) {
            b.append(" exclude-ops=").append(new TreeSet<>(excludeOpTypes));
        }
        if (keepFirstLast) {
            b.append(" keep-first-last");
        }
        if (smoothQuantAlpha > 0) {
            b.append(" smoothquant=").append(smoothQuantAlpha);
        }
        return b.toString();
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new TreeSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return Set.copyOf(all);
    }
}
