package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.pass.Pass;
import dev.bantam.onnx.pass.PassResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Removes nodes whose outputs reach no graph output, initializers nothing reads (unless they are also
 * graph inputs), and value_info entries of values that no longer exist.
 */
public final class DeadCodeElimination implements Pass {

    @Override
    public String name() {
        return "dead-code-elimination";
    }

    @Override
    public PassResult run(Model model) {
        int nodes = 0;
        int inits = 0;
        for (Graph g : model.graph().graphsRecursive()) {
            List<Node> order = g.nodes();
            Collections.reverse(order);
            for (Node n : order) {
                if (n.graph() == g && isDead(n)) {
                    g.remove(n, true);
                    nodes++;
                }
            }
            for (Value v : g.initializers()) {
                if (v.uses().isEmpty() && !v.isGraphOutput() && !v.isGraphInput()) {
                    g.removeInitializer(v);
                    inits++;
                }
            }
            pruneValueInfo(g);
        }
        List<String> notes = new ArrayList<>();
        if (nodes > 0) {
            notes.add("removed " + nodes + " unused nodes");
        }
        if (inits > 0) {
            notes.add("removed " + inits + " unused initializers");
        }
        return PassResult.of(notes);
    }

    private static boolean isDead(Node n) {
        for (Value out : n.outputs()) {
            if (out != null && (!out.uses().isEmpty() || out.isGraphOutput())) {
                return false;
            }
        }
        return true;
    }

    private static void pruneValueInfo(Graph g) {
        Set<Value> live = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node n : g) {
            n.outputs().stream().filter(v -> v != null).forEach(live::add);
        }
        List<Value> keep = g.valueInfos().stream().filter(v -> live.contains(v) || v.isDefined() && v.graph() == g
                && (v.initializer() != null || v.isGraphInput())).toList();
        if (keep.size() != g.valueInfos().size()) {
            g.clearValueInfos();
            keep.forEach(g::addValueInfo);
        }
    }
}
