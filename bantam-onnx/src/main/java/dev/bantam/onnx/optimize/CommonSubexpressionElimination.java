package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.pass.Pass;
import dev.bantam.onnx.pass.PassResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes a value once when two nodes would compute it twice: same domain, op, inputs (the same values)
 * and attributes. Random operators and nodes with subgraphs are left alone.
 */
public final class CommonSubexpressionElimination implements Pass {

    private static final Set<String> NONDETERMINISTIC = Set.of("RandomNormal", "RandomNormalLike", "RandomUniform",
            "RandomUniformLike", "Multinomial", "Bernoulli", "Dropout");

    @Override
    public String name() {
        return "common-subexpression-elimination";
    }

    @Override
    public PassResult run(Model model) {
        int merged = 0;
        for (Graph g : model.graph().graphsRecursive()) {
            Map<Key, List<Node>> seen = new HashMap<>();
            for (Node n : g.nodes()) {
                if (NONDETERMINISTIC.contains(n.opType()) || !n.subgraphs().isEmpty() || n.outputs().isEmpty()) {
                    continue;
                }
                List<Node> candidates = seen.computeIfAbsent(new Key(signature(n), n.inputs()), k -> new ArrayList<>());
                Node twin = candidates.stream().filter(o -> sameInputs(o, n) && AttributeEquality.same(o, n))
                        .findFirst().orElse(null);
                if (twin == null || !replaceable(n, twin)) {
                    candidates.add(n);
                    continue;
                }
                for (int i = 0; i < n.outputs().size(); i++) {
                    if (n.output(i) != null) {
                        Rewiring.bypass(n.output(i), twin.output(i));
                    }
                }
                g.remove(n, true);
                merged++;
            }
        }
        return PassResult.of(merged == 0 ? List.of() : List.of("merged " + merged + " repeated computations"));
    }

    private static boolean replaceable(Node n, Node twin) {
        for (int i = 0; i < n.outputs().size(); i++) {
            Value out = n.output(i);
            if (out != null && out.isGraphOutput() && (twin.output(i) == null || twin.output(i).isGraphOutput())) {
                return false;
            }
            if (out != null && twin.output(i) == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Nodes are compared only with nodes of the same signature reading the same values (values compare by
     * identity), so a graph of many alike nodes costs linear time, not quadratic.
     */
    private record Key(String signature, List<Value> inputs) {
        Key {
            inputs = java.util.Collections.unmodifiableList(new ArrayList<>(inputs));
        }
    }

    private static String signature(Node n) {
        StringBuilder b = new StringBuilder(n.normalizedDomain()).append(':').append(n.opType()).append('/')
                .append(n.outputs().size());
        for (Attribute a : n.attributes()) {
            b.append(',').append(a.name());
        }
        return b.toString();
    }

    private static boolean sameInputs(Node a, Node b) {
        if (a.inputs().size() != b.inputs().size()) {
            return false;
        }
        for (int i = 0; i < a.inputs().size(); i++) {
            if (a.input(i) != b.input(i)) {
                return false;
            }
        }
        return true;
    }
}
