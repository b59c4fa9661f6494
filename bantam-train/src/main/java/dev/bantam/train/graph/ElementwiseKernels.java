package dev.bantam.train.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/** Element-wise arithmetic, comparisons and activations (broadcasting as ONNX does). */
final class ElementwiseKernels {

    private ElementwiseKernels() {
    }

    static void register(Map<String, Kernel> t) {
        binary(t, "Add", NDArray::add);
        binary(t, "Sub", NDArray::sub);
        binary(t, "Mul", NDArray::mul);
        binary(t, "Div", NDArray::div);
        binary(t, "Pow", NDArray::pow);
        binary(t, "Equal", NDArray::eq);
        binary(t, "Less", NDArray::lt);
        binary(t, "Greater", NDArray::gt);
        binary(t, "LessOrEqual", NDArray::lte);
        binary(t, "GreaterOrEqual", NDArray::gte);
        binary(t, "And", NDArray::logicalAnd);
        binary(t, "Or", NDArray::logicalOr);
        unary(t, "Neg", NDArray::neg);
        unary(t, "Abs", NDArray::abs);
        unary(t, "Sqrt", NDArray::sqrt);
        unary(t, "Exp", NDArray::exp);
        unary(t, "Log", NDArray::log);
        unary(t, "Tanh", NDArray::tanh);
        unary(t, "Reciprocal", a -> a.getManager().create(1f).toType(a.getDataType(), false).div(a));
        unary(t, "Floor", NDArray::floor);
        unary(t, "Ceil", NDArray::ceil);
        unary(t, "Not", NDArray::logicalNot);
        unary(t, "Relu", Activation::relu);
        unary(t, "Sigmoid", Activation::sigmoid);
        unary(t, "Erf", Torch::erf);
        unary(t, "Identity", a -> a);
        unary(t, "Softplus", a -> a.exp().add(1).log());
        t.put("LeakyRelu", c -> List.of(Activation.leakyRelu(c.x(), c.floatAttr("alpha", 0.01f))));
        t.put("PRelu", c -> {
            NDArray pos = Activation.relu(c.x());
            return List.of(pos.add(c.in(1).mul(c.x().sub(pos))));
        });
        t.put("HardSigmoid", c -> List.of(c.x().mul(c.floatAttr("alpha", 0.2f)).add(c.floatAttr("beta", 0.5f))
                .clip(0, 1)));
        t.put("HardSwish", c -> List.of(c.x().mul(c.x().div(6).add(0.5).clip(0, 1))));
        t.put("Gelu", ElementwiseKernels::gelu);
        t.put("Clip", ElementwiseKernels::clip);
        t.put("Where", c -> {
            Shape s = Broadcast.shape(Broadcast.shape(c.in(0).getShape(), c.in(1).getShape()), c.in(2).getShape());
            return List.of(NDArrays.where(c.in(0).broadcast(s), c.in(1).broadcast(s), c.in(2).broadcast(s)));
        });
        t.put("Max", c -> List.of(fold(c.inputs(), NDArray::maximum)));
        t.put("Min", c -> List.of(fold(c.inputs(), NDArray::minimum)));
        t.put("Sum", c -> List.of(fold(c.inputs(), NDArray::add)));
        t.put("Dropout", c -> c.node().outputs().size() > 1
                ? List.of(c.x(), c.x().onesLike().toType(ai.djl.ndarray.types.DataType.BOOLEAN, false))
                : List.of(c.x()));
    }

    private static void binary(Map<String, Kernel> t, String op, BinaryOperator<NDArray> f) {
        t.put(op, c -> List.of(f.apply(c.in(0), c.in(1))));
    }

    private static void unary(Map<String, Kernel> t, String op, UnaryOperator<NDArray> f) {
        t.put(op, c -> List.of(f.apply(c.x())));
    }

    private static NDArray fold(List<NDArray> in, BinaryOperator<NDArray> f) {
        NDArray r = in.get(0);
        for (int i = 1; i < in.size(); i++) {
            r = f.apply(r, in.get(i));
        }
        return r;
    }

    private static List<NDArray> gelu(Kernel.Call c) {
        NDArray x = c.x();
        if ("tanh".equals(c.stringAttr("approximate", "none"))) {
            NDArray inner = x.add(x.pow(3).mul(0.044715f)).mul((float) Math.sqrt(2 / Math.PI));
            return List.of(x.mul(0.5f).mul(inner.tanh().add(1)));
        }
        return List.of(x.mul(0.5f).mul(Torch.erf(x.mul((float) (1 / Math.sqrt(2)))).add(1)));
    }

    private static List<NDArray> clip(Kernel.Call c) {
        NDArray x = c.x();
        if (c.opset() < 11) {
            return List.of(x.clip(c.floatAttr("min", -Float.MAX_VALUE), c.floatAttr("max", Float.MAX_VALUE)));
        }
        NDArray lo = c.in(1);
        NDArray hi = c.in(2);
        if ((lo == null || lo.size() == 1) && (hi == null || hi.size() == 1)) {
            return List.of(x.clip(lo == null ? -Float.MAX_VALUE : lo.toType(ai.djl.ndarray.types.DataType.FLOAT32,
                    false).getFloat(), hi == null ? Float.MAX_VALUE
                    : hi.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat()));
        }
        if (lo != null) {
            x = x.maximum(lo);
        }
        if (hi != null) {
            x = x.minimum(hi);
        }
        return List.of(x);
    }
}
