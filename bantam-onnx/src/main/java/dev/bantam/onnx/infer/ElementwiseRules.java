package dev.bantam.onnx.infer;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.ValueType;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Inference for operators that work element by element: same shape, or broadcast shapes. */
final class ElementwiseRules {

    static final Set<String> SAME = Set.of("Relu", "Sigmoid", "Tanh", "Exp", "Log", "Sqrt", "Neg", "Abs", "Erf",
            "Identity", "Reciprocal", "Floor", "Ceil", "Softmax", "LogSoftmax", "Hardmax", "LeakyRelu", "Elu", "Selu",
            "HardSigmoid", "HardSwish", "Gelu", "Softplus", "Softsign", "Clip", "Round", "Sign", "Sin", "Cos", "Tan",
            "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "CumSum", "Mish", "Celu",
            "ThresholdedRelu", "Shrink", "LRN", "InstanceNormalization", "MeanVarianceNormalization", "Dropout",
            "BatchNormalization", "LayerNormalization", "Not", "BitwiseNot", "Trilu");
    static final Set<String> BROADCAST = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "PRelu",
            "Mod", "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor");
    static final Set<String> COMPARE = Set.of("Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And",
            "Or", "Xor");

    private ElementwiseRules() {
    }

    static void register(Map<String, InferenceRule> rules) {
        for (String op : SAME) {
            rules.put(op, ElementwiseRules::same);
        }
        for (String op : BROADCAST) {
            rules.put(op, c -> broadcast(c, c.type(0)));
        }
        for (String op : COMPARE) {
            rules.put(op, c -> broadcast(c, DataType.BOOL));
        }
        rules.put("IsNaN", c -> List.of(InferenceContext.of(DataType.BOOL, c.shape(0))));
        rules.put("IsInf", c -> List.of(InferenceContext.of(DataType.BOOL, c.shape(0))));
        rules.put("Cast", c -> List.of(InferenceContext.of(DataType.fromCode((int) c.intAttr("to", 0)), c.shape(0))));
        rules.put("CastLike", c -> List.of(InferenceContext.of(c.type(1), c.shape(0))));
        rules.put("Where", c -> {
            Shape s = all(c, 3) ? Dims.broadcast(Dims.broadcast(c.shape(0), c.shape(1)), c.shape(2)) : null;
            return List.of(InferenceContext.of(c.type(1), s));
        });
        rules.put("QuantizeLinear", c -> List.of(InferenceContext.of(c.hasInput(2) ? c.type(2) : DataType.UINT8, c.shape(0))));
        rules.put("DequantizeLinear", c -> List.of(InferenceContext.of(c.hasInput(1) ? c.type(1) : DataType.FLOAT, c.shape(0))));
        rules.put("DynamicQuantizeLinear", c -> List.of(InferenceContext.of(DataType.UINT8, c.shape(0)),
                InferenceContext.of(DataType.FLOAT, Shape.of()), InferenceContext.of(DataType.UINT8, Shape.of())));
    }

    private static List<ValueType.TensorType> same(InferenceContext c) {
        ValueType.TensorType t = c.tensor(0);
        if (c.node().opType().equals("Dropout")) {
            return java.util.Arrays.asList(t, InferenceContext.of(DataType.BOOL, t == null ? null : t.shape()));
        }
        return java.util.Collections.singletonList(t);
    }

    private static boolean all(InferenceContext c, int n) {
        for (int i = 0; i < n; i++) {
            if (c.shape(i) == null) {
                return false;
            }
        }
        return true;
    }

    private static List<ValueType.TensorType> broadcast(InferenceContext c, DataType out) {
        int n = c.node().inputs().size();
        Shape s = null;
        if (all(c, n)) {
            s = c.shape(0);
            for (int i = 1; i < n; i++) {
                s = Dims.broadcast(s, c.shape(i));
            }
        }
        return List.of(InferenceContext.of(out, s));
    }
}
