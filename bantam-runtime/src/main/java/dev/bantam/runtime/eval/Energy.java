package dev.bantam.runtime.eval;

import dev.bantam.compress.Macs;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Value;
import java.util.Map;

/**
 * An energy-per-inference estimate from operation counts by precision, with the 45 nm figures of
 * M. Horowitz, "Computing's energy problem (and what we can do about it)", ISSCC 2014: FP32 multiply
 * 3.7 pJ + add 0.9 pJ; INT8 multiply 0.2 pJ + INT32 accumulate 0.1 pJ; FP32 add 0.9 pJ for other
 * element-wise work; 32-bit DRAM read 640 pJ for fetching the weights once per batch. Absolute numbers
 * describe no real chip; ratios between models are what the estimate is for.
 */
public final class Energy {

    static final double FP32_MAC_PJ = 3.7 + 0.9;
    static final double INT8_MAC_PJ = 0.2 + 0.1;
    static final double FP32_OP_PJ = 0.9;
    static final double DRAM_PJ_PER_BYTE = 640.0 / 4;

    /**
     * @param macsFp32  multiply-accumulates in float per item
     * @param macsInt8  multiply-accumulates in 8-bit integers per item
     * @param otherOps  other element-wise results per item
     */
    public record Estimate(long macsFp32, long macsInt8, long otherOps, double computeMicrojoules,
                           double weightFetchMicrojoulesPerBatch, double microjoulesPerItem, String source) {
    }

    private Energy() {
    }

    /** Counts operations of the main graph from value shapes captured on a batch of {@code batch} items. */
    public static Estimate estimate(Model model, Map<String, long[]> shapes, int batch, long weightBytes, int evalBatch) {
        long[] c = counts(model, shapes, batch);
        long fp = c[0];
        long i8 = c[1];
        long other = c[2];
        double compute = (fp * FP32_MAC_PJ + i8 * INT8_MAC_PJ + other * FP32_OP_PJ) / 1e6;
        double fetch = weightBytes * DRAM_PJ_PER_BYTE / 1e6;
        return new Estimate(fp, i8, other, compute, fetch, compute + fetch / evalBatch,
                "Horowitz, ISSCC 2014, 45 nm (pJ): FP32 mult 3.7, FP32 add 0.9, INT8 mult 0.2, INT32 add 0.1, "
                        + "DRAM 32-bit read 640");
    }

    /** Multiply-accumulates per item by precision, from value shapes captured on a batch of {@code batch} items. */
    public static Macs macs(Model model, Map<String, long[]> shapes, int batch) {
        long[] c = counts(model, shapes, batch);
        return new Macs(c[0], c[1]);
    }

    /** Per item: float MACs, int8 MACs, other element-wise results. */
    private static long[] counts(Model model, Map<String, long[]> shapes, int batch) {
        long fp = 0, i8 = 0, other = 0;
        for (Node n : model.graph()) {
            Value out = n.outputs().isEmpty() ? null : n.output(0);
            long[] o = out == null ? null : shapes.get(out.name());
            if (o == null) {
                continue;
            }
            long macs = macs(n, shapes);
            if (macs > 0) {
                if (isInt8(n)) {
                    i8 += macs;
                } else {
                    fp += macs;
                }
            } else if (!isDataMovement(n.opType())) {
                other += product(o);
            }
        }
        return new long[] {fp / batch, i8 / batch, other / batch};
    }

    /**
     * The values whose shapes {@link #macs} and {@link #macsByOutput} read: the first output and the first two
     * inputs of every node. Capturing only these keeps a model of 20,000 element-wise nodes from exposing every
     * value to ONNX Runtime (a session with that many outputs takes seconds to build).
     */
    public static java.util.Set<String> valuesForMacs(Model model) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Node n : model.graph()) {
            if (n.outputs().isEmpty() || n.output(0) == null || !isProduct(n.opType())) {
                continue;
            }
            names.add(n.output(0).name());
            for (int i = 0; i < Math.min(4, n.inputs().size()); i++) {
                if (n.input(i) != null && n.input(i).initializer() == null) {
                    names.add(n.input(i).name());
                }
            }
        }
        return names;
    }

    private static boolean isProduct(String op) {
        return switch (op) {
            case "MatMul", "MatMulInteger", "QLinearMatMul", "MatMulIntegerToFloat", "Gemm", "QGemm", "Conv",
                 "ConvInteger", "QLinearConv", "MatMulNBits" -> true;
            default -> false;
        };
    }

    /** Multiply-accumulates per item of every product node, by its first output's name. */
    public static Map<String, Long> macsByOutput(Model model, Map<String, long[]> shapes, int batch) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (Node n : model.graph()) {
            long macs = n.outputs().isEmpty() || n.output(0) == null ? 0 : macs(n, shapes);
            if (macs > 0) {
                out.put(n.output(0).name(), macs / batch);
            }
        }
        return out;
    }

    /** The node's multiply-accumulates for the captured batch: output elements times the dot product's length. */
    private static long macs(Node n, Map<String, long[]> shapes) {
        long[] o = shapes.get(n.output(0).name());
        long k = o == null ? 0 : reduction(n, shapes);
        return k > 0 ? product(o) * k : 0;
    }

    private static boolean isInt8(Node n) {
        return n.opType().contains("Integer") || n.opType().startsWith("QLinear") || n.opType().equals("QGemm")
                || fedByDequantize(n);
    }

    /** The length of the dot product behind each output element, or 0 for ops that are not products. */
    private static long reduction(Node n, Map<String, long[]> shapes) {
        long[] a = shape(n, 0, shapes);
        long[] w = shape(n, n.opType().startsWith("QLinear") || n.opType().equals("QGemm") ? 3 : 1, shapes);
        return switch (n.opType()) {
            case "MatMul", "MatMulInteger", "QLinearMatMul", "MatMulIntegerToFloat" -> a == null ? 0 : a[a.length - 1];
            case "Gemm", "QGemm" -> a == null ? 0 : n.attribute("transA").map(x -> ((dev.bantam.onnx.ir.AttributeValue.IntValue)
                    x.value()).value()).orElse(0L) == 1 ? a[0] : a[a.length - 1];
            case "Conv", "ConvInteger", "QLinearConv" -> w == null ? 0 : product(w) / w[0];
            case "MatMulNBits" -> n.attribute("K").map(x -> ((dev.bantam.onnx.ir.AttributeValue.IntValue) x.value()).value())
                    .orElse(0L);
            default -> 0;
        };
    }

    /** QDQ form: both operands of a product dequantized from 8-bit tensors, which runtimes fuse into int8 kernels. */
    private static boolean fedByDequantize(Node n) {
        for (int i = 0; i < 2; i++) {
            Value v = i < n.inputs().size() ? n.input(i) : null;
            Node p = v == null ? null : v.producer();
            if (p == null || !p.opType().equals("DequantizeLinear")) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDataMovement(String op) {
        return switch (op) {
            case "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Flatten", "Shape", "Gather", "Slice", "Concat",
                 "Constant", "Identity", "Cast", "Expand", "Split" -> true;
            default -> false;
        };
    }

    private static long[] shape(Node n, int input, Map<String, long[]> shapes) {
        Value v = n.input(input);
        if (v == null) {
            return null;
        }
        if (v.initializer() != null) {
            return v.initializer().dims();
        }
        return shapes.get(v.name());
    }

    private static long product(long[] d) {
        long p = 1;
        for (long x : d) {
            p *= Math.max(0, x);
        }
        return p;
    }
}
