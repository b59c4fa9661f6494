package dev.bantam.train.graph;

import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.Node;
import java.nio.charset.StandardCharsets;

/** Reading node attributes. */
final class Attrs {

    private Attrs() {
    }

    /** An ints attribute, or null when the node does not have it. */
    static long[] ints(Node n, String name) {
        return n.attribute(name).map(a -> a.value() instanceof AttributeValue.IntsValue v ? v.value() : null)
                .orElse(null);
    }

    static String string(Node n, String name, String dflt) {
        return n.attribute(name).map(a -> a.value() instanceof AttributeValue.StringValue v
                ? new String(v.value(), StandardCharsets.UTF_8) : dflt).orElse(dflt);
    }

    static int axis(long axis, int rank) {
        return (int) (axis < 0 ? axis + rank : axis);
    }
}
