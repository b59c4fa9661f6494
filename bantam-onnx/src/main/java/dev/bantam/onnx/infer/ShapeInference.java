package dev.bantam.onnx.infer;

import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.pass.Pass;
import dev.bantam.onnx.pass.PassResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Infers element types and shapes (symbolic dimensions carried through) of node outputs the model does not
 * declare, in graph order, for the standard operators it has rules for. Declared types are never replaced;
 * types live on the values and are not written to value_info, so the saved file does not change.
 */
public final class ShapeInference implements Pass {

    private static final Map<String, InferenceRule> RULES = new HashMap<>();

    static {
        ElementwiseRules.register(RULES);
        LinearAlgebraRules.register(RULES);
        LayoutRules.register(RULES);
        IndexingRules.register(RULES);
        ControlFlowRules.register(RULES);
    }

    /** Operators with an inference rule. */
    public static Set<String> supported() {
        return new TreeSet<>(RULES.keySet());
    }

    @Override
    public String name() {
        return "shape-inference";
    }

    @Override
    public PassResult run(Model model) {
        long opset = model.opsetVersion("").orElse(1);
        int typed = 0;
        Map<String, Integer> unsupported = new TreeMap<>();
        Map<String, Integer> failed = new TreeMap<>();
        for (Node n : bodiesFirst(model.graph(), new ArrayList<>())) {
            if (n.outputs().stream().allMatch(v -> v == null || v.type() != null)) {
                continue;
            }
            InferenceRule rule = n.normalizedDomain().isEmpty() ? RULES.get(n.opType()) : null;
            if (rule == null) {
                unsupported.merge(n.normalizedDomain().isEmpty() ? n.opType() : n.normalizedDomain() + ":" + n.opType(),
                        1, Integer::sum);
                continue;
            }
            try {
                typed += apply(n, rule.infer(new InferenceContext(n, opset)));
            } catch (IllegalArgumentException | ArithmeticException | IndexOutOfBoundsException | ClassCastException e) {
                failed.merge(n.opType() + ": " + e.getMessage(), 1, Integer::sum);
            }
        }
        List<String> notes = new ArrayList<>();
        if (typed > 0) {
            notes.add("typed " + typed + " values");
        }
        boolean changed = typed > 0;
        if (!unsupported.isEmpty()) {
            notes.add("no rule for " + unsupported + ": their outputs stay untyped, which changes nothing in the model; "
                    + "only rewrites that need a value's type pass over those values");
        }
        failed.forEach((why, c) -> notes.add("could not infer " + why + " (" + c + "x): those values stay untyped, the "
                + "model is unchanged"));
        return new PassResult(changed, notes);
    }

    /** Every node, the nodes of an If/Loop/Scan body before the node that holds it, so the holder's rule sees them typed. */
    private static List<Node> bodiesFirst(Graph g, List<Node> out) {
        for (Node n : g) {
            for (Graph body : n.subgraphs()) {
                bodiesFirst(body, out);
            }
            out.add(n);
        }
        return out;
    }

    private static int apply(Node n, List<ValueType.TensorType> types) {
        int typed = 0;
        for (int i = 0; i < Math.min(types.size(), n.outputs().size()); i++) {
            Value out = n.output(i);
            ValueType.TensorType t = types.get(i);
            if (out != null && out.type() == null && t != null && t.elementType() != null) {
                out.setType(t);
                typed++;
            }
        }
        return typed;
    }
}
