package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;

/**
 * Conversions of attributes that became inputs at some opset (axes, split, starts/ends, k, pads, min/max, ratio,
 * shape, scales): the attribute's value moves into an initializer of the node's graph at the input's position.
 */
final class AttributeInputs {

    private AttributeInputs() {
    }

    /** Moves the ints attribute {@code attr}, when present, to input {@code index} as an int64 vector. */
    static void ints(Node n, Graph g, String attr, int index) {
        var a = n.attribute(attr);
        if (a.isEmpty()) {
            return;
        }
        long[] values = ((AttributeValue.IntsValue) a.get().value()).value();
        setInput(n, index, g.addInitializer(Tensor.ofLongs(name(g, n, attr), values, values.length)));
        n.removeAttribute(attr);
    }

    /** Moves the int attribute {@code attr} (or {@code dflt} when absent) to input {@code index}, shaped {@code dims}. */
    static void intValue(Node n, Graph g, String attr, long dflt, int index, long... dims) {
        long v = n.intAttribute(attr, dflt);
        n.removeAttribute(attr);
        setInput(n, index, g.addInitializer(Tensor.ofLongs(name(g, n, attr), new long[] {v}, dims)));
    }

    /** Moves the floats attribute {@code attr} to input {@code index} as a float vector. */
    static void floats(Node n, Graph g, String attr, int index) {
        var a = n.attribute(attr);
        if (a.isEmpty()) {
            return;
        }
        float[] values = ((AttributeValue.FloatsValue) a.get().value()).value();
        setInput(n, index, g.addInitializer(Tensor.ofFloats(name(g, n, attr), values, values.length)));
        n.removeAttribute(attr);
    }

    /**
     * Moves the float attribute {@code attr}, when present and not {@code skipWhen}, to input {@code index} as a
     * scalar of the node's first input's element type (float only); drops it when it equals {@code skipWhen}.
     */
    static void scalarLikeInput(Node n, Graph g, String attr, int index, Float skipWhen) {
        var a = n.attribute(attr);
        if (a.isEmpty()) {
            return;
        }
        float v = ((AttributeValue.FloatValue) a.get().value()).value();
        n.removeAttribute(attr);
        if (skipWhen != null && v == skipWhen) {
            return;
        }
        setInput(n, index, g.addInitializer(Tensor.ofFloats(name(g, n, attr), new float[] {v})));
    }

    /**
     * Null when the node's float attributes {@code attrs} can become scalar inputs of its first input's type; else
     * why not (only float32 inputs are converted, and only when their type is known).
     */
    static String floatScalarsRefusal(Node n, float neutral, String... attrs) {
        boolean any = false;
        for (String attr : attrs) {
            var a = n.attribute(attr);
            any |= a.isPresent() && ((AttributeValue.FloatValue) a.get().value()).value() != neutral;
        }
        if (!any) {
            return null;
        }
        DataType t = elementType(n.input(0));
        return t == DataType.FLOAT ? null : "its " + String.join("/", attrs) + " attribute would become an input of the "
                + "data's type, which is " + (t == null ? "unknown" : t.name().toLowerCase()) + " (only float32 is converted)";
    }

    static DataType elementType(Value v) {
        return v != null && v.type() instanceof ValueType.TensorType t ? t.elementType() : null;
    }

    /** Makes input {@code index} read {@code v}, adding absent optional inputs before it. */
    static void setInput(Node n, int index, Value v) {
        while (n.inputs().size() < index) {
            n.appendInput(null);
        }
        if (n.inputs().size() == index) {
            n.appendInput(v);
        } else {
            n.replaceInput(index, v);
        }
    }

    static String name(Graph g, Node n, String what) {
        return Rewiring.freshName(g, n.displayName().replaceAll("\\W", "_") + "_" + what);
    }
}
