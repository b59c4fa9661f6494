package dev.bantam.onnx.rewrite;

import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.pass.Pass;
import dev.bantam.onnx.pass.PassResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies rewrite rules at every anchor node of every graph (subgraphs included), once per anchor. Notes
 * list each rewrite and, summarized, why anchors were skipped.
 */
public final class RewritePass implements Pass {

    private final String name;
    private final List<RewriteRule> rules;

    public RewritePass(String name, List<RewriteRule> rules) {
        this.name = name;
        this.rules = List.copyOf(rules);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PassResult run(Model model) {
        Map<String, List<String>> done = new java.util.LinkedHashMap<>();
        Map<String, Integer> skipped = new TreeMap<>();
        for (Graph g : model.graph().graphsRecursive()) {
            for (Node n : g.nodes()) {
                if (n.graph() != g || !n.normalizedDomain().isEmpty()) {
                    continue;
                }
                for (RewriteRule r : rules) {
                    if (!r.anchors().contains(n.opType())) {
                        continue;
                    }
                    String why = r.check(n, model);
                    if (why == null) {
                        done.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r.rewrite(n, model));
                        break;
                    }
                    skipped.merge(r.name() + " skipped: " + why, 1, Integer::sum);
                }
            }
        }
        List<String> notes = new ArrayList<>();
        done.forEach((rule, what) -> notes.add(what.size() == 1 ? rule + ": " + what.getFirst()
                : rule + ": " + what.size() + " rewrites, e.g. " + what.getFirst()));
        skipped.forEach((why, count) -> notes.add(why + " (" + count + "x)"));
        return new PassResult(!done.isEmpty(), notes);
    }
}
