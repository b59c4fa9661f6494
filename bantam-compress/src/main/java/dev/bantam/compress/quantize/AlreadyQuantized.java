package dev.bantam.compress.quantize;

import dev.bantam.onnx.ir.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Refuses a model that is already quantized: quantizing it again would compound the error. */
public final class AlreadyQuantized {

    private static final Set<String> QUANTIZED_OPS = Set.of("MatMulInteger", "ConvInteger", "DynamicQuantizeLinear",
            "QuantizeLinear", "DequantizeLinear", "QLinearMatMul", "QLinearConv", "MatMulNBits", "GatherBlockQuantized");

    private AlreadyQuantized() {
    }

    /** @throws IllegalArgumentException naming the quantized operators when the model has any */
    public static void refuse(Model model) {
        List<String> found = new ArrayList<>();
        model.graph().forEachNodeRecursive(n -> {
            if (QUANTIZED_OPS.contains(n.opType()) && !found.contains(n.opType())) {
                found.add(n.opType());
            }
        });
        if (!found.isEmpty()) {
            throw new IllegalArgumentException("the model is already quantized (it has " + String.join(", ", found)
                    + "); quantizing it again would compound the error, so Bantam refuses: start from the float model");
        }
    }
}
