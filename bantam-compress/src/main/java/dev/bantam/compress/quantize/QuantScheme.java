package dev.bantam.compress.quantize;

import dev.bantam.compress.Granularity;
import dev.bantam.compress.quantize.calibrate.CalibrationMethod;
import dev.bantam.onnx.ir.DataType;
import java.util.Locale;

/**
 * How one tensor was quantized.
 *
 * @param type        the stored integer type
 * @param bits        significant bits (7 for reduced-range weights)
 * @param symmetric   zero point at the type's middle
 * @param granularity one scale, one per channel, or one per block
 * @param axis        the channel axis for per-channel scales; -1 otherwise
 * @param scaleType   the scales' type (float, or float16 for embedding tables)
 * @param calibration for activations: how the range was chosen; null for constants
 * @param rangeLow    for activations: the calibrated range; null for constants
 * @param rangeHigh   for activations: the calibrated range; null for constants
 */
public record QuantScheme(DataType type, int bits, boolean symmetric, Granularity granularity, int axis,
                          DataType scaleType, CalibrationMethod calibration, Double rangeLow, Double rangeHigh) {

    static QuantScheme constant(DataType type, int bits, int axis) {
        return new QuantScheme(type, bits, true, axis < 0 ? Granularity.PER_TENSOR : Granularity.PER_CHANNEL, axis,
                DataType.FLOAT, null, null, null);
    }

    /** One phrase, e.g. "int8 symmetric per channel (axis 0), 7-bit". */
    public String describe() {
        StringBuilder b = new StringBuilder(type.name().toLowerCase(Locale.ROOT))
                .append(symmetric ? " symmetric " : " asymmetric ")
                .append(switch (granularity) {
                    case PER_TENSOR -> "per tensor";
                    case PER_CHANNEL -> "per channel (axis " + axis + ")";
                    case PER_BLOCK -> "per block";
                });
        if (bits < 8 && type.byteSize(1) == 1) {
            b.append(", ").append(bits).append("-bit");
        }
        if (scaleType != DataType.FLOAT) {
            b.append(", ").append(scaleType.name().toLowerCase(Locale.ROOT)).append(" scales");
        }
        if (calibration != null) {
            b.append(String.format(Locale.ROOT, ", %s range %.4g..%.4g", calibration.label(), rangeLow, rangeHigh));
        }
        return b.toString();
    }
}
