package dev.bantam.onnx.ir;

import java.util.List;

/**
 * A named attribute of a node. {@code declaredType} is false only for files of IR version 1, which did not
 * write the type field; such attributes are written back the same way.
 */
public record Attribute(String name, AttributeValue value, String docString, boolean declaredType,
                        OpaqueMessage unknownFields) {

    public static Attribute of(String name, AttributeValue value) {
        return new Attribute(name, value, null, true, null);
    }

    public static Attribute ofInt(String name, long v) {
        return of(name, new AttributeValue.IntValue(v));
    }

    public static Attribute ofFloat(String name, float v) {
        return of(name, new AttributeValue.FloatValue(v));
    }

    public static Attribute ofInts(String name, long... v) {
        return of(name, new AttributeValue.IntsValue(v.clone()));
    }

    public static Attribute ofString(String name, String v) {
        return of(name, new AttributeValue.StringValue(v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    public static Attribute ofTensor(String name, Tensor t) {
        return of(name, new AttributeValue.TensorValue(t));
    }

    public AttributeType type() {
        return value.type();
    }

    /** Subgraphs held by this attribute (GRAPH or GRAPHS), else empty. */
    public List<Graph> subgraphs() {
        return switch (value) {
            case AttributeValue.GraphValue g -> List.of(g.value());
            case AttributeValue.GraphsValue gs -> gs.value();
            default -> List.of();
        };
    }
}
