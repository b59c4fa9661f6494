package dev.bantam.runtime.calibrate;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import java.util.List;
import java.util.Optional;

/**
 * Makes a value inside an If, Loop or Scan body readable from outside: ONNX Runtime returns only the main
 * graph's outputs, so the value becomes an output of its body and of the node that holds the body, up to the
 * main graph. An If's other branches output an empty float tensor in its place; a Loop or Scan body's extra
 * output is a scan output, so every iteration's value arrives stacked. Either way the observed elements are
 * exactly the values the body computed. Meant for a copy of the model made for calibration: the edits stay in it.
 */
final class NestedOutputs {

    private NestedOutputs() {
    }

    /**
     * Exposes {@code v} (defined in a subgraph, as a node output or a body input) as a main-graph output and
     * returns that output's name.
     *
     * @throws IllegalArgumentException when a body is held by an operator other than If, Loop or Scan
     */
    static String expose(Value v) {
        Graph body = v.graph();
        Value cur = v;
        if (v.producer() == null || v.isGraphOutput()) {
            // a body input (Loop-carried state, Scan slice) or a value the body returns already (a second output of
            // the same value confuses ONNX Runtime): read it through an Identity
            Node id = Node.of("Identity", List.of(v), List.of(body.uniqueName(v.name() + "_observed")));
            if (v.producer() != null) {
                body.insertAfter(v.producer(), id);
            } else if (body.nodeCount() == 0) {
                body.append(id);
            } else {
                body.insertBefore(body.nodes().getFirst(), id);
            }
            id.output(0).setType(v.type());
            cur = id.output(0);
        }
        while (body.parentNode() != null) {
            Node holder = body.parentNode();
            Graph outer = holder.graph();
            body.addOutput(cur);
            switch (holder.opType()) {
                case "If" -> {
                    for (Graph other : holder.subgraphs()) {
                        if (other != body) {
                            other.addOutput(emptyFloat(other));
                        }
                    }
                }
                case "Loop" -> { } // the extra body output is a scan output
                case "Scan" -> {
                    appendZero(holder, "scan_output_axes");
                    appendZero(holder, "scan_output_directions");
                }
                default -> throw new IllegalArgumentException("cannot observe " + v.name() + ": it is inside a body of "
                        + holder.displayName() + " (" + holder.opType() + "), which calibration does not enter");
            }
            cur = holder.appendOutput(outer.uniqueName(v.name() + "_observed"));
            cur.setType(ValueType.tensor(DataType.FLOAT, null));
            body = outer;
        }
        body.addOutput(cur);
        return cur.name();
    }

    private static Value emptyFloat(Graph g) {
        Node c = Node.of("Constant", List.of(), List.of(g.uniqueName("calibration_nothing")),
                Attribute.ofTensor("value", Tensor.ofFloats("", new float[0], 0)));
        g.append(c);
        c.output(0).setType(ValueType.tensor(DataType.FLOAT, null));
        return c.output(0);
    }

    /** A Scan attribute listing one entry per scan output gets one more (axis 0, forward) for the new output. */
    private static void appendZero(Node scan, String name) {
        Optional<Attribute> a = scan.attribute(name);
        if (a.isEmpty() || !(a.get().value() instanceof AttributeValue.IntsValue(long[] values))) {
            return;
        }
        scan.setAttribute(Attribute.ofInts(name, java.util.Arrays.copyOf(values, values.length + 1)));
    }
}
