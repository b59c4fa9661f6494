package dev.bantam.onnx.check;

import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds cycles (an error) and nodes listed before the nodes they depend on (a warning) in one graph. A node
 * depends on the producers of its inputs and of the outer values its subgraphs read.
 */
final class GraphOrder {

    private final Graph graph;
    private final Map<Node, Set<Node>> deps = new IdentityHashMap<>();

    GraphOrder(Graph graph) {
        this.graph = graph;
        for (Node n : graph) {
            Set<Node> d = new LinkedHashSet<>();
            collect(n, d);
            d.remove(n);
            deps.put(n, d);
        }
    }

    private void collect(Node n, Set<Node> out) {
        for (Value in : n.inputs()) {
            if (in != null && in.producer() != null && in.producer().graph() == graph) {
                out.add(in.producer());
            }
        }
        for (Graph sub : n.subgraphs()) {
            for (Node inner : sub) {
                collect(inner, out);
            }
        }
    }

    void check(String where, List<Issue> issues) {
        Map<Node, Integer> pending = new IdentityHashMap<>();
        Map<Node, List<Node>> users = new HashMap<>();
        for (var e : deps.entrySet()) {
            pending.put(e.getKey(), e.getValue().size());
            for (Node d : e.getValue()) {
                users.computeIfAbsent(d, k -> new ArrayList<>()).add(e.getKey());
            }
        }
        Deque<Node> ready = new ArrayDeque<>();
        pending.forEach((n, c) -> {
            if (c == 0) {
                ready.add(n);
            }
        });
        int done = 0;
        while (!ready.isEmpty()) {
            Node n = ready.poll();
            done++;
            for (Node u : users.getOrDefault(n, List.of())) {
                if (pending.merge(u, -1, Integer::sum) == 0) {
                    ready.add(u);
                }
            }
        }
        if (done < deps.size()) {
            Node inCycle = graph.nodes().stream().filter(n -> pending.get(n) > 0).findFirst().orElseThrow();
            issues.add(new Issue(Issue.Severity.ERROR, where, "cycle: node '" + inCycle.displayName()
                    + "' depends, through " + (deps.size() - done) + " nodes, on its own output"));
            return;
        }
        Set<Node> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node n : graph) {
            for (Node d : deps.get(n)) {
                if (!seen.contains(d)) {
                    issues.add(new Issue(Issue.Severity.WARNING, where, "node '" + n.displayName()
                            + "' comes before node '" + d.displayName() + "', whose output it reads"));
                    return;
                }
            }
            seen.add(n);
        }
    }
}
