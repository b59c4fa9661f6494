package dev.bantam.onnx.check;

import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Value;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds cycles (an error) and nodes listed before the nodes they depend on
 * (a warning), in one graph. A node depends on the producers of its inputs and of the outer values its
 * subgraphs read. Nodes are numbered by their place in the graph and dependencies kept as arrays of those
 * numbers, so a graph of 200,000 nodes costs a few arrays, not a set per node.
 */
final class GraphOrder {

    private final Graph graph;
    private final List<Node> nodes;
    /** For node i, the positions of the nodes it depends on (repeats allowed). */
    private final int[][] deps;

    GraphOrder(Graph graph) {
        this.graph = graph;
        this.nodes = graph.nodes();
        Map<Node, Integer> index = new IdentityHashMap<>(nodes.size() * 2);
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i), i);
        }
        deps = new int[nodes.size()][];
        IntList d = new IntList();
        for (int i = 0; i < nodes.size(); i++) {
            d.size = 0;
            collect(nodes.get(i), nodes.get(i), index, d);
            deps[i] = java.util.Arrays.copyOf(d.values, d.size);
        }
    }

    private void collect(Node owner, Node n, Map<Node, Integer> index, IntList out) {
        for (Value in : n.inputs()) {
            if (in != null && in.producer() != null && in.producer().graph() == graph) {
                if (in.producer() == owner) {
                    continue; // a node reading its own output is the checker's own rule, reported per node
                }
                out.add(index.get(in.producer()));
            }
        }
        for (Graph sub : n.subgraphs()) {
            for (Node inner : sub) {
                collect(owner, inner, index, out);
            }
        }
    }

    void check(String where, List<Issue> issues) {
        int n = nodes.size();
        int[] pending = new int[n];
        int[] userCount = new int[n + 1];
        for (int i = 0; i < n; i++) {
            pending[i] = deps[i].length;
            for (int d : deps[i]) {
                userCount[d + 1]++;
            }
        }
        for (int i = 0; i < n; i++) {
            userCount[i + 1] += userCount[i];
        }
        int[] users = new int[userCount[n]];
        int[] fill = java.util.Arrays.copyOf(userCount, n);
        for (int i = 0; i < n; i++) {
            for (int d : deps[i]) {
                users[fill[d]++] = i;
            }
        }
        int[] ready = new int[n];
        int head = 0;
        int tail = 0;
        for (int i = 0; i < n; i++) {
            if (pending[i] == 0) {
                ready[tail++] = i;
            }
        }
        while (head < tail) {
            int i = ready[head++];
            for (int k = userCount[i]; k < userCount[i + 1]; k++) {
                if (--pending[users[k]] == 0) {
                    ready[tail++] = users[k];
                }
            }
        }
        if (tail < n) {
            int inCycle = 0;
            while (pending[inCycle] == 0) {
                inCycle++;
            }
            issues.add(new Issue(Issue.Severity.ERROR, where, "cycle: node '" + nodes.get(inCycle).displayName()
                    + "' depends, through " + (n - tail) + " nodes, on its own output"));
            return;
        }
        for (int i = 0; i < n; i++) {
            for (int d : deps[i]) {
                if (d > i) {
                    issues.add(new Issue(Issue.Severity.WARNING, where, "node '" + nodes.get(i).displayName()
                            + "' comes before node '" + nodes.get(d).displayName() + "', whose output it reads"));
                    return;
                }
            }
        }
    }

    /** A growable list of ints. */
    private static final class IntList {
        int[] values = new int[8];
        int size;

        void add(int v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }
}
