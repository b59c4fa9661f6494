package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import java.util.Arrays;
import java.util.List;

/** Value equality of attributes (records holding arrays compare by reference otherwise). */
final class AttributeEquality {

    private AttributeEquality() {
    }

    static boolean same(Node a, Node b) {
        List<Attribute> x = a.attributes();
        List<Attribute> y = b.attributes();
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            if (!x.get(i).name().equals(y.get(i).name()) || !same(x.get(i).value(), y.get(i).value())) {
                return false;
            }
        }
        return true;
    }

    static boolean same(AttributeValue a, AttributeValue b) {
        return switch (a) {
            case AttributeValue.FloatValue f -> b instanceof AttributeValue.FloatValue g
                    && Float.floatToIntBits(f.value()) == Float.floatToIntBits(g.value());
            case AttributeValue.IntValue i -> a.equals(b);
            case AttributeValue.StringValue s -> b instanceof AttributeValue.StringValue t && Arrays.equals(s.value(), t.value());
            case AttributeValue.FloatsValue f -> b instanceof AttributeValue.FloatsValue g && Arrays.equals(f.value(), g.value());
            case AttributeValue.IntsValue f -> b instanceof AttributeValue.IntsValue g && Arrays.equals(f.value(), g.value());
            case AttributeValue.StringsValue s -> b instanceof AttributeValue.StringsValue t && s.value().size() == t.value().size()
                    && java.util.stream.IntStream.range(0, s.value().size()).allMatch(i -> Arrays.equals(s.value().get(i), t.value().get(i)));
            case AttributeValue.TensorValue t -> b instanceof AttributeValue.TensorValue u && sameTensor(t.value(), u.value());
            default -> false;
        };
    }

    static boolean sameTensor(Tensor a, Tensor b) {
        if (a.dataType() != b.dataType() || !Arrays.equals(a.dims(), b.dims())) {
            return false;
        }
        if (a.dataType() == dev.bantam.onnx.ir.DataType.STRING) {
            List<byte[]> x = a.strings();
            List<byte[]> y = b.strings();
            return x.size() == y.size()
                    && java.util.stream.IntStream.range(0, x.size()).allMatch(i -> Arrays.equals(x.get(i), y.get(i)));
        }
        return a.bytes().mismatch(b.bytes()) < 0;
    }
}
