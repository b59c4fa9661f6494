package dev.bantam.onnx.inspect;

import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Tells from a model's operators and weight types whether, and how, it is already quantized. */
final class QuantizationDetector {

    private static final Set<String> QDQ = Set.of("QuantizeLinear", "DequantizeLinear");
    private static final Set<String> DYNAMIC = Set.of("DynamicQuantizeLinear", "MatMulInteger", "ConvInteger",
            "DynamicQuantizeMatMul", "DynamicQuantizeLSTM");
    private static final Set<String> WEIGHT_ONLY = Set.of("MatMulNBits", "GatherBlockQuantized", "MatMulBnb4",
            "MatMulFpQ4");

    private QuantizationDetector() {
    }

    static boolean isQuantizationOp(String opType) {
        return QDQ.contains(opType) || DYNAMIC.contains(opType) || WEIGHT_ONLY.contains(opType)
                || opType.startsWith("QLinear") || opType.equals("QGemm") || opType.equals("QAttention")
                || opType.equals("QEmbedLayerNormalization");
    }

    static ModelSummary.Quantization detect(Model model, Map<String, Integer> histogram) {
        Map<String, Integer> ops = new TreeMap<>();
        histogram.forEach((k, v) -> {
            String op = k.contains(":") ? k.substring(k.indexOf(':') + 1) : k;
            if (isQuantizationOp(op)) {
                ops.merge(op, v, Integer::sum);
            }
        });
        long lowBytes = 0;
        for (Tensor t : model.tensorsRecursive()) {
            if (t.dataType().isLowPrecisionInteger() && t.elementCount() > 16) {
                lowBytes += t.storedByteSize();
            }
        }
        List<String> kinds = new ArrayList<>();
        if (ops.keySet().stream().anyMatch(DYNAMIC::contains)) {
            kinds.add("dynamic (activations quantized at run time: " + names(ops, DYNAMIC) + ")");
        }
        if (ops.keySet().stream().anyMatch(o -> o.startsWith("QLinear") || o.equals("QGemm") || o.equals("QAttention"))) {
            kinds.add("static, QOperator format");
        }
        if (ops.containsKey("QuantizeLinear") && ops.containsKey("DequantizeLinear")) {
            kinds.add("static, QDQ format");
        } else if (ops.containsKey("DequantizeLinear") && kinds.isEmpty()) {
            kinds.add("weight-only (DequantizeLinear on stored low-precision weights)");
        }
        if (ops.keySet().stream().anyMatch(WEIGHT_ONLY::contains)) {
            kinds.add("weight-only blockwise (" + names(ops, WEIGHT_ONLY) + ")");
        }
        boolean quantized = !kinds.isEmpty();
        return new ModelSummary.Quantization(quantized, quantized ? String.join("; ", kinds) : "not quantized",
                ops, lowBytes);
    }

    private static String names(Map<String, Integer> ops, Set<String> family) {
        return String.join(", ", ops.keySet().stream().filter(family::contains).toList());
    }
}
