package dev.bantam.compress.half;

import dev.bantam.compress.CalibrationSettings;
import dev.bantam.compress.NodeScope;
import dev.bantam.compress.TechniqueConfig;

/**
 * Conversion of a float32 model to FP16 or BF16, with mixed precision.
 *
 * @param type        fp16 or bf16
 * @param compute     where arithmetic happens: float (weights stored in the half type, widened at load) or half
 *                    (mixed precision: every operator that can and may computes in the half type)
 * @param target      with half compute: whose kernels decide where half arithmetic may go (ONNX Runtime's CPU
 *                    provider's own, or any operator the ONNX schema allows)
 * @param keepIoTypes graph inputs and outputs stay float32 (Casts at the borders), so callers feed and read the
 *                    model as before; otherwise they take the half type
 * @param scope       which operators may compute in the half type and whose weights may be stored in it (every
 *                    operator with a half form, weights of {@code minWeightSize} elements or more: smaller ones read
 *                    only by float32 operators are not worth a Cast); excluded nodes stay float32 with their weights
 * @param dataAware   half compute: judge each operator by its activations' magnitudes on calibration data (outputs
 *                    or inputs beyond half the type's largest value, or mostly below its normal range, stay float32)
 *                    rather than by a conservative list of sensitive operators
 * @param calibration with dataAware: items and batch size of the calibration run
 * @param minFidelity with evaluation data: the least mean cosine of the first output to the float model's; while
 *                    it is not met, the operators most at risk return to float32, then the weights (null: none,
 *                    the fidelity is still measured and reported when evaluation data is given)
 * @param scoreItems  evaluation items each candidate is scored on
 */
public record HalfPrecisionConfig(HalfType type, Compute compute, Target target, boolean keepIoTypes, NodeScope scope,
                                  boolean dataAware, CalibrationSettings calibration, Double minFidelity,
                                  int scoreItems) implements TechniqueConfig {

    public static final String NAME = "half-precision";

    public HalfPrecisionConfig {
        if (type == null || compute == null || target == null || scope == null || calibration == null) {
            throw new IllegalArgumentException(NAME + ": type, compute, target, scope and calibration are required");
        }
        scope.requireSupported(HalfOps.operators(), NAME);
        if (dataAware && compute != Compute.HALF) {
            throw new IllegalArgumentException(NAME + ": calibration data (dataAware) judges operators computing in "
                    + "the half type; with compute: float every operator stays float32");
        }
        if (minFidelity != null && !(minFidelity > 0 && minFidelity <= 1)) {
            throw new IllegalArgumentException(NAME + ": minFidelity is a mean cosine in (0, 1], got " + minFidelity);
        }
        if (scoreItems < 1) {
            throw new IllegalArgumentException(NAME + ": scoreItems must be >= 1, got " + scoreItems);
        }
    }

    /** FP16 weights, float32 arithmetic and I/O (half arithmetic, when asked, on ONNX Runtime CPU kernels), every weight of 256 elements or more (a smaller one would save less than
     * a few hundred bytes, and its Cast takes about a hundred). */
    public static HalfPrecisionConfig defaults() {
        return new HalfPrecisionConfig(HalfType.FP16, Compute.FLOAT, Target.ORT_CPU, true,
                NodeScope.of(HalfOps.operators(), 256), false,
                new CalibrationSettings(128, 8), null, 256);
    }

    public HalfPrecisionConfig withType(HalfType t) {
        return new HalfPrecisionConfig(t, compute, target, keepIoTypes, scope, dataAware, calibration, minFidelity, scoreItems);
    }

    public HalfPrecisionConfig withCompute(Compute c) {
        return new HalfPrecisionConfig(type, c, target, keepIoTypes, scope, dataAware, calibration, minFidelity, scoreItems);
    }

    public HalfPrecisionConfig withTarget(Target t) {
        return new HalfPrecisionConfig(type, compute, t, keepIoTypes, scope, dataAware, calibration, minFidelity, scoreItems);
    }

    public HalfPrecisionConfig withKeepIoTypes(boolean keep) {
        return new HalfPrecisionConfig(type, compute, target, keep, scope, dataAware, calibration, minFidelity, scoreItems);
    }

    public HalfPrecisionConfig withScope(NodeScope s) {
        return new HalfPrecisionConfig(type, compute, target, keepIoTypes, s, dataAware, calibration, minFidelity, scoreItems);
    }

    public HalfPrecisionConfig withDataAware(boolean aware) {
        return new HalfPrecisionConfig(type, compute, target, keepIoTypes, scope, aware, calibration, minFidelity, scoreItems);
    }

    public HalfPrecisionConfig withMinFidelity(Double min) {
        return new HalfPrecisionConfig(type, compute, target, keepIoTypes, scope, dataAware, calibration, min, scoreItems);
    }

    @Override
    public String technique() {
        return NAME;
    }
}
