package dev.bantam.onnx.infer;

import dev.bantam.onnx.ir.Dim;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * If, Loop and Scan: output types from their bodies' outputs, which {@link ShapeInference} types first (bodies
 * before the node that holds them). If: the branches' element type, and the shape where they agree (a dimension
 * they disagree on is unknown; different ranks give no shape). Loop: carried values as the body returns them,
 * scan outputs with an unknown leading iteration axis. Scan: states as returned, scan outputs with an unknown
 * axis at their scan_output_axes position (Scan-8, with its batch axis, is left untyped).
 */
final class ControlFlowRules {

    private ControlFlowRules() {
    }

    static void register(Map<String, InferenceRule> rules) {
        rules.put("If", ControlFlowRules::ifRule);
        rules.put("Loop", c -> iterated(c, body(c, "body"), 1, c.node().inputs().size() - 2, null));
        rules.put("Scan", c -> c.opset() < 9 ? List.of() : iterated(c, body(c, "body"), 0, // Scan-8: a batch axis first
                c.node().inputs().size() - (int) c.intAttr("num_scan_inputs", 0), c.intsAttr("scan_output_axes")
                        .orElse(null)));
    }

    private static Graph body(InferenceContext c, String name) {
        return c.node().attribute(name).map(a -> a.subgraphs().isEmpty() ? null : a.subgraphs().getFirst()).orElse(null);
    }

    private static List<ValueType.TensorType> ifRule(InferenceContext c) {
        Graph then = body(c, "then_branch");
        Graph otherwise = body(c, "else_branch");
        if (then == null || otherwise == null) {
            return List.of();
        }
        List<ValueType.TensorType> out = new ArrayList<>();
        for (int i = 0; i < c.node().outputs().size(); i++) {
            ValueType.TensorType a = tensor(then, i);
            ValueType.TensorType b = tensor(otherwise, i);
            if (a == null || b == null || a.elementType() == null || !Objects.equals(a.elementType(), b.elementType())) {
                out.add(a != null && b == null ? InferenceContext.of(a.elementType(), null) : null);
                continue;
            }
            out.add(InferenceContext.of(a.elementType(), merge(a.shape(), b.shape())));
        }
        return out;
    }

    /**
     * @param skip       body outputs before the carried ones (Loop's condition)
     * @param carried    how many outputs are carried state (returned as the body gives them)
     * @param scanAxes   where a Scan puts the iteration axis of each scan output (null: axis 0)
     */
    private static List<ValueType.TensorType> iterated(InferenceContext c, Graph body, int skip, int carried,
                                                       long[] scanAxes) {
        if (body == null) {
            return List.of();
        }
        List<ValueType.TensorType> out = new ArrayList<>();
        for (int i = 0; i < c.node().outputs().size(); i++) {
            ValueType.TensorType t = tensor(body, skip + i);
            if (t == null || t.elementType() == null) {
                out.add(null);
            } else if (i < carried) {
                out.add(t);
            } else {
                int k = i - carried;
                long axis = scanAxes != null && k < scanAxes.length ? scanAxes[k] : 0;
                out.add(InferenceContext.of(t.elementType(), stacked(t.shape(), axis)));
            }
        }
        return out;
    }

    private static Shape stacked(Shape s, long axis) {
        if (s == null || axis < 0 || axis > s.rank()) {
            return null;
        }
        List<Dim> dims = new ArrayList<>(s.dims());
        dims.add((int) axis, Dim.unknown());
        return new Shape(dims);
    }

    private static ValueType.TensorType tensor(Graph g, int i) {
        if (i >= g.outputs().size()) {
            return null;
        }
        Value v = g.outputs().get(i);
        if (v.type() instanceof ValueType.TensorType t) {
            return t;
        }
        return v.constantValue().map(k -> InferenceContext.of(k.dataType(), Shape.of(k.dims()))).orElse(null);
    }

    private static Shape merge(Shape a, Shape b) {
        if (a == null || b == null || a.rank() != b.rank()) {
            return null;
        }
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < a.rank(); i++) {
            dims.add(a.dims().get(i).equals(b.dims().get(i)) ? a.dims().get(i) : Dim.unknown());
        }
        return new Shape(dims);
    }
}
