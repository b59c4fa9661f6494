package dev.bantam.onnx.ir;

import java.util.Optional;

/** Reads the tensor a standard Constant node produces, from whichever value attribute it uses. */
final class ConstantNodes {

    private ConstantNodes() {
    }

    static Optional<Tensor> valueOf(Node constant) {
        if (constant.attributes().size() != 1) {
            return Optional.empty();
        }
        Attribute a = constant.attributes().getFirst();
        String name = constant.outputs().getFirst() == null ? "" : constant.outputs().getFirst().name();
        return switch (a.value()) {
            case AttributeValue.TensorValue t -> Optional.of(t.value().withName(name));
            case AttributeValue.FloatValue f -> Optional.of(Tensor.ofFloats(name, new float[] {f.value()}));
            case AttributeValue.FloatsValue f -> Optional.of(Tensor.ofFloats(name, f.value(), f.value().length));
            case AttributeValue.IntValue i -> Optional.of(Tensor.ofLongs(name, new long[] {i.value()}));
            case AttributeValue.IntsValue i -> Optional.of(Tensor.ofLongs(name, i.value(), i.value().length));
            case AttributeValue.StringValue s -> Optional.of(new Tensor(name, DataType.STRING, new long[0],
                    new TensorData.Strings(java.util.List.of(s.value())), null));
            default -> Optional.empty();
        };
    }
}
