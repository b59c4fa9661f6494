package dev.bantam.compress.quantize;

import java.util.List;

/**
 * One quantized weight: where it is, its shape, the range of its scales, and how much of the weight the
 * quantization kept (SQNR of the dequantized weight against the original, in dB; higher is better).
 */
public record LayerReport(String node, String opType, String weight, List<Long> shape, String scheme,
                          float minScale, float maxScale, double weightSqnrDb) {
}
