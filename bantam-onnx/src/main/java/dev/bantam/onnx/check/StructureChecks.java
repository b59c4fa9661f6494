package dev.bantam.onnx.check;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import java.util.List;

/**
 * Rules found by fuzzing that ONNX Runtime enforces when it loads a model: the main graph declares typed inputs
 * and at least one output, control-flow bodies give as many outputs as their node needs, and attribute
 * references appear only inside function bodies, with a type.
 */
final class StructureChecks {

    private StructureChecks() {
    }

    /** The main graph: at least one output; every input typed; tensor types with an element type. */
    static void checkMainGraph(Graph g, String where, List<Issue> issues) {
        if (g.outputs().isEmpty()) {
            issues.add(error(where, "the graph has no outputs"));
        }
        for (boolean inputs : new boolean[] {true, false}) {
            for (Value v : inputs ? g.inputs() : g.outputs()) {
                if (v.initializer() != null) {
                    continue;
                }
                String kind = inputs ? "input " : "output ";
                if (v.type() == null && inputs) { // ONNX Runtime infers an untyped output
                    issues.add(error(where, "graph " + kind + ModelChecker.quote(v.name()) + " has no type"));
                } else if (v.type() instanceof ValueType.TensorType t && t.elementType() == null) {
                    issues.add(error(where, "graph " + kind + ModelChecker.quote(v.name())
                            + " is a tensor with no element type"));
                }
            }
        }
    }

    /** If: both branches give the node's number of outputs; Loop: the body gives 1 + its carried and scan outputs. */
    static void checkBodies(Node n, String at, List<Issue> issues) {
        if (n.isStandard("If")) {
            for (String branch : List.of("then_branch", "else_branch")) {
                Graph g = graph(n, branch);
                if (g != null && g.outputs().size() != n.outputs().size()) {
                    issues.add(error(at, branch + " gives " + g.outputs().size() + " outputs, the If node has "
                            + n.outputs().size()));
                }
            }
        } else if (n.isStandard("Loop")) {
            Graph body = graph(n, "body");
            int carried = Math.max(0, n.inputs().size() - 2);
            if (body != null && body.inputs().size() != 2 + carried) {
                issues.add(error(at, "the Loop body takes " + body.inputs().size() + " inputs, the node gives "
                        + (2 + carried) + " (iteration, condition and " + carried + " carried values)"));
            }
            if (body != null && body.outputs().size() != 1 + n.outputs().size()) {
                issues.add(error(at, "the Loop body gives " + body.outputs().size() + " outputs, the node needs "
                        + (1 + n.outputs().size()) + " (condition and one per node output)"));
            }
        }
    }

    /** An attribute that refers to a calling node's attribute must be in a function body and say its type. */
    static void checkReference(Attribute a, boolean inFunction, String at, List<Issue> issues) {
        if (a.value() instanceof AttributeValue.Reference r) {
            if (!inFunction) {
                issues.add(error(at, "attribute " + ModelChecker.quote(a.name()) + " refers to a calling node's attribute "
                        + ModelChecker.quote(r.refName()) + " outside a function body"));
            } else if (r.type() == null) {
                issues.add(error(at, "attribute " + ModelChecker.quote(a.name()) + " refers to "
                        + ModelChecker.quote(r.refName()) + " without saying its type"));
            }
        }
    }

    private static Graph graph(Node n, String name) {
        return n.attribute(name).map(Attribute::value).filter(v -> v instanceof AttributeValue.GraphValue)
                .map(v -> ((AttributeValue.GraphValue) v).value()).orElse(null);
    }

    private static Issue error(String where, String message) {
        return new Issue(Issue.Severity.ERROR, where, message);
    }
}
