package dev.bantam.compress.quantize;

import dev.bantam.compress.TensorEntry;
import java.util.List;

/**
 * One quantized tensor: which node uses it, what it is to that node, its shape (empty for activations), how it
 * was quantized, the range of its scales, its zero point (null when there is one per channel), the fraction
 * of values the chosen range clips (activations: estimated from the calibration histogram), and how much of
 * the tensor the quantization kept (SQNR).
 */
public record QuantizedTensor(String tensor, String node, String opType, TensorKind kind, List<Long> shape,
                              QuantScheme scheme, float minScale, float maxScale, Integer zeroPoint,
                              double clippedFraction, double sqnrDb) implements TensorEntry {

    public QuantizedTensor {
        shape = List.copyOf(shape);
    }

    static QuantizedTensor constant(TensorKind kind, String node, String opType, String tensor, List<Long> shape,
                                    QuantScheme scheme, float[] scales, Integer zeroPoint, double sqnrDb) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = 0;
        for (float s : scales) {
            lo = Math.min(lo, s);
            hi = Math.max(hi, s);
        }
        return new QuantizedTensor(tensor, node, opType, kind, shape, scheme, lo, hi, zeroPoint, 0, sqnrDb);
    }
}
