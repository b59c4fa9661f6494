package dev.bantam.onnx.infer;

import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import java.util.Optional;

/** What an inference rule may ask about a node: its inputs' types and shapes, constants, attributes, opset. */
record InferenceContext(Node node, long opset) {

    ValueType.TensorType tensor(int i) {
        Value v = node.input(i);
        if (v == null) {
            return null;
        }
        if (v.type() instanceof ValueType.TensorType t) {
            return t;
        }
        return v.constantValue().map(c -> new ValueType.TensorType(c.dataType(), Shape.of(c.dims()), null)).orElse(null);
    }

    DataType type(int i) {
        ValueType.TensorType t = tensor(i);
        return t == null ? null : t.elementType();
    }

    Shape shape(int i) {
        ValueType.TensorType t = tensor(i);
        return t == null ? null : t.shape();
    }

    boolean hasInput(int i) {
        return node.input(i) != null;
    }

    Optional<long[]> constLongs(int i) {
        Value v = node.input(i);
        if (v == null) {
            return Optional.empty();
        }
        return v.constantValue().filter(t -> t.dataType() == DataType.INT64 || t.dataType() == DataType.INT32)
                .map(Tensor::toLongArray);
    }

    long intAttr(String name, long dflt) {
        return node.intAttribute(name, dflt);
    }

    Optional<long[]> intsAttr(String name) {
        return node.attribute(name).map(a -> a.value()).filter(v -> v instanceof AttributeValue.IntsValue)
                .map(v -> ((AttributeValue.IntsValue) v).value());
    }

    Optional<String> stringAttr(String name) {
        return node.attribute(name).map(a -> a.value()).filter(v -> v instanceof AttributeValue.StringValue)
                .map(v -> ((AttributeValue.StringValue) v).text());
    }

    static ValueType.TensorType of(DataType t, Shape s) {
        return new ValueType.TensorType(t, s, null);
    }
}
