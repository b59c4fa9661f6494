package dev.bantam.compress.quantize;

import java.util.List;

/** What quantization did: the quantized layers (worst SQNR first), and what it left in float and why. */
public record QuantizeReport(String config, List<LayerReport> layers, List<String> leftInFloat, long floatBytesBefore,
                             long quantizedBytes) {
}
