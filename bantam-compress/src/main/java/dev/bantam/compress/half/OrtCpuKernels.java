package dev.bantam.compress.half;

import java.util.Map;

/**
 * Which standard operators ONNX Runtime's CPU provider (1.24.1, x86-64) computes in a half type with a kernel of
 * its own, measured by loading one-node models and reading back the graph ONNX Runtime optimized
 * ({@code OrtCpuKernelsTest} in bantam-runtime measures it again). For FP16, every other operator whose schema
 * takes the type still loads: ONNX Runtime inserts Casts around it and computes it in float32, so it runs, but no
 * faster. For BF16 there is no such fallback: a model with a bfloat16 node this table lacks is refused at load.
 * Why a table rather than asking ONNX Runtime at run time: the output must not depend on the machine it is made on.
 */
public final class OrtCpuKernels {

    /** The ONNX Runtime version the table was measured on. */
    public static final String VERSION = "1.24.1";

    /** How ONNX Runtime's CPU provider runs an operator in a half type. */
    public enum Support {
        /** A kernel of its own for the type. */
        NATIVE,
        /** FP16 only: no kernel, so ONNX Runtime casts the inputs to float32 and the outputs back. */
        CASTS,
        /** No kernel: ONNX Runtime refuses the model. */
        NONE
    }

    /** Operator → the first opset at which its FP16 kernel is registered. */
    private static final Map<String, Long> FP16 = Map.ofEntries(
            Map.entry("Concat", 1L), Map.entry("Reshape", 1L), Map.entry("Transpose", 1L), Map.entry("Flatten", 1L),
            Map.entry("Squeeze", 1L), Map.entry("Unsqueeze", 1L), Map.entry("Gather", 1L), Map.entry("Slice", 1L),
            Map.entry("Split", 1L), Map.entry("Expand", 1L), Map.entry("Identity", 1L), Map.entry("Shape", 1L),
            Map.entry("Cast", 1L), Map.entry("ConstantOfShape", 9L), Map.entry("LayerNormalization", 1L),
            Map.entry("Clip", 12L), Map.entry("Min", 12L), Map.entry("Max", 12L), Map.entry("Round", 11L),
            Map.entry("Sign", 9L), Map.entry("Mod", 10L), Map.entry("IsNaN", 9L));

    /** Operator → the first opset at which its BF16 kernel is registered. */
    private static final Map<String, Long> BF16 = Map.ofEntries(
            Map.entry("Concat", 13L), Map.entry("Reshape", 13L), Map.entry("Transpose", 13L), Map.entry("Flatten", 13L),
            Map.entry("Squeeze", 13L), Map.entry("Unsqueeze", 13L), Map.entry("Gather", 13L), Map.entry("Slice", 13L),
            Map.entry("Split", 13L), Map.entry("Identity", 13L), Map.entry("Shape", 13L), Map.entry("Cast", 13L),
            Map.entry("Clip", 13L), Map.entry("Sign", 13L), Map.entry("IsNaN", 20L));

    private OrtCpuKernels() {
    }

    /** How the CPU provider runs standard operator {@code op} of ai.onnx opset {@code opset} in {@code type}. */
    public static Support support(String op, HalfType type, long opset) {
        Long from = (type == HalfType.FP16 ? FP16 : BF16).get(op);
        if (from != null && opset >= from) {
            return Support.NATIVE;
        }
        return type == HalfType.FP16 ? Support.CASTS : Support.NONE;
    }

    /** The operators with a kernel of their own for {@code type} (at some opset), for tests and documents. */
    public static java.util.Set<String> nativeOperators(HalfType type) {
        return java.util.Set.copyOf((type == HalfType.FP16 ? FP16 : BF16).keySet());
    }
}
