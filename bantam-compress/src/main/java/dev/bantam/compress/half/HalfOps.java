package dev.bantam.compress.half;

import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the ONNX schemas say about computing an operator in a half type: which inputs and outputs carry the float
 * type T (those change with the node; the rest keep their types: shapes, indices, axes, Resize's scales, Dropout's
 * ratio, LayerNormalization's statistics), from which opset the type is allowed, and whether the operator only
 * moves data. An operator missing here has no half form Bantam knows of and computes in float32.
 */
final class HalfOps {

    /** Every input is T. */
    static final int ALL = -1;

    /**
     * One operator's half form.
     *
     * @param inputs      indices of the T inputs, or {@link #ALL}
     * @param outputs     indices of the T outputs (empty: the outputs are not float, e.g. comparisons)
     * @param movement    whether it only moves, selects or reshapes data (it then follows its neighbours)
     * @param fp16Opset   the first ai.onnx opset whose version of the operator takes float16
     * @param bf16Opset   the same for bfloat16
     */
    record Form(List<Integer> inputs, List<Integer> outputs, boolean movement, long fp16Opset, long bf16Opset) {

        boolean halfInput(int index) {
            return inputs.contains(ALL) || inputs.contains(index);
        }

        boolean halfOutput(int index) {
            return outputs.contains(ALL) || outputs.contains(index);
        }

        long minOpset(HalfType type) {
            return type == HalfType.FP16 ? fp16Opset : bf16Opset;
        }
    }

    private static final Map<String, Form> FORMS = new HashMap<>();

    static {
        List<Integer> x = List.of(0);
        for (String op : List.of("Abs", "Neg", "Relu", "LeakyRelu", "Elu", "Selu", "Sigmoid", "HardSigmoid", "Tanh",
                "Softplus", "Softsign", "Exp", "Log", "Sqrt", "Reciprocal", "Erf", "Sin", "Cos", "Floor", "Ceil",
                "ThresholdedRelu", "Softmax", "LogSoftmax", "Hardmax", "LpNormalization", "LRN",
                "MeanVarianceNormalization", "Shrink", "Det")) {
            put(op, x, x, false, 1, 13);
        }
        put("Round", x, x, false, 11, 13);
        put("Sign", x, x, false, 9, 13);
        put("HardSwish", x, x, false, 14, 14);
        put("Mish", x, x, false, 18, 18);
        put("Gelu", x, x, false, 20, 20);
        for (String op : List.of("Add", "Sub", "Mul", "Div", "PRelu", "Pow")) {
            put(op, List.of(0, 1), x, false, 1, 13);
        }
        for (String op : List.of("Sum", "Mean", "Max", "Min")) {
            put(op, List.of(ALL), x, false, 1, 13);
        }
        for (String op : List.of("Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual")) {
            put(op, List.of(0, 1), List.of(), false, 11, 13);
        }
        put("IsNaN", x, List.of(), false, 9, 13);
        put("IsInf", x, List.of(), false, 10, 20);
        put("ArgMax", x, List.of(), false, 1, 13);
        put("ArgMin", x, List.of(), false, 1, 13);
        put("Where", List.of(1, 2), x, false, 9, 16);
        put("Clip", List.of(0, 1, 2), x, false, 1, 13);
        put("MatMul", List.of(0, 1), x, false, 1, 13);
        put("Gemm", List.of(0, 1, 2), x, false, 1, 13);
        put("Conv", List.of(0, 1, 2), x, false, 1, 22);
        put("ConvTranspose", List.of(0, 1, 2), x, false, 1, 22);
        put("Einsum", List.of(ALL), x, false, 12, 12);
        for (String op : List.of("MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "LpPool")) {
            put(op, x, x, false, 1, op.equals("MaxPool") ? 22 : 22);
        }
        for (String op : List.of("ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
                "ReduceL2", "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp")) {
            put(op, x, x, false, 1, 13);
        }
        put("LayerNormalization", List.of(0, 1, 2), x, false, 17, 17);
        put("BatchNormalization", List.of(0, 1, 2, 3, 4), x, false, 1, 15);
        put("InstanceNormalization", List.of(0, 1, 2), x, false, 1, 22);
        put("GroupNormalization", List.of(0, 1, 2), x, false, 18, 21);
        put("Resize", x, x, false, 10, 13);
        put("CumSum", x, x, false, 14, 14);
        put("TopK", x, x, false, 1, 24);
        put("Trilu", x, x, false, 14, 14);
        for (String op : List.of("Reshape", "Transpose", "Flatten", "Squeeze", "Unsqueeze", "Slice", "Gather",
                "GatherElements", "GatherND", "Expand", "Tile", "DepthToSpace", "SpaceToDepth", "Identity", "Dropout")) {
            put(op, x, x, true, 1, 13);
        }
        put("Shape", x, List.of(), true, 1, 13);
        put("Size", x, List.of(), true, 1, 13);
        put("Concat", List.of(ALL), x, true, 1, 13);
        put("Split", x, List.of(ALL), true, 1, 13);
        put("Pad", List.of(0, 2), x, true, 1, 13);
    }

    private HalfOps() {
    }

    private static void put(String op, List<Integer> inputs, List<Integer> outputs, boolean movement, long fp16, long bf16) {
        FORMS.put(op, new Form(inputs, outputs, movement, fp16, bf16));
    }

    /** The operators that have a half form. */
    static Set<String> operators() {
        return Set.copyOf(FORMS.keySet());
    }

    /**
     * The half form of a standard-domain node, if its operator has one. Cast and ConstantOfShape are forms of their
     * own: a Cast to float32 can cast to the half type instead (and one from float32 can read it), a ConstantOfShape
     * of a float32 value can hold a half one; both follow their neighbours like data movement.
     */
    static Optional<Form> of(Node n) {
        if (!n.normalizedDomain().isEmpty()) {
            return Optional.empty();
        }
        if (n.opType().equals("Cast")) {
            boolean toFloat = n.intAttribute("to", 0) == DataType.FLOAT.code();
            return Optional.of(new Form(List.of(0), toFloat ? List.of(0) : List.of(), true, 6, 13));
        }
        if (n.opType().equals("ConstantOfShape")) {
            boolean floatValue = n.attribute("value").map(a -> a.value() instanceof AttributeValue.TensorValue t
                    && t.value().dataType() == DataType.FLOAT).orElse(true);
            return floatValue ? Optional.of(new Form(List.of(), List.of(0), true, 9, 20)) : Optional.empty();
        }
        return Optional.ofNullable(FORMS.get(n.opType()));
    }

    /** Operators that ask no scope: they only carry a type from one side to the other. */
    static boolean typeCarrier(Node n) {
        return n.normalizedDomain().isEmpty() && (n.opType().equals("Cast") || n.opType().equals("ConstantOfShape"));
    }
}
