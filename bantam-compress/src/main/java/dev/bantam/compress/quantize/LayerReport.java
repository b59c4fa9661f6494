package dev.bantam.compress.quantize;

import java.util.List;

/**
 * One quantized tensor: which node uses it, what it is ({@code weight}, {@code bias} or {@code activation}),
 * its shape (empty for activations), the scheme, the range of its scales, its zero point (null when there is
 * one per channel or none), the fraction of values clipped by the chosen range (activations: estimated from
 * the calibration histogram), and how much of the tensor the quantization kept (SQNR in dB; higher is better).
 */
public record LayerReport(String node, String opType, String tensor, String kind, List<Long> shape, String scheme,
                          float minScale, float maxScale, Integer zeroPoint, double clippedFraction, double sqnrDb) {

    static LayerReport weight(String node, String opType, String tensor, List<Long> shape, String scheme,
                              float[] scales, Integer zeroPoint, double sqnrDb) {
        return constant("weight", node, opType, tensor, shape, scheme, scales, zeroPoint, sqnrDb);
    }

    static LayerReport constant(String kind, String node, String opType, String tensor, List<Long> shape, String scheme,
                                float[] scales, Integer zeroPoint, double sqnrDb) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = 0;
        for (float s : scales) {
            lo = Math.min(lo, s);
            hi = Math.max(hi, s);
        }
        return new LayerReport(node, opType, tensor, kind, shape, scheme, lo, hi, zeroPoint, 0, sqnrDb);
    }
}
