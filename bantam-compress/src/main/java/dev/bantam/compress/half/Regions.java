package dev.bantam.compress.half;

import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Usage;
import dev.bantam.onnx.ir.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Connected regions of operators computing in the half type (joined by the activations they pass in it). A
 * region costs one Cast per activation crossing its border at every run; it is kept only when it holds at least
 * as many arithmetic operators as it needs border Casts, and never when it only moves data: otherwise its
 * operators return to float32, which places fewer Casts and loses nothing.
 */
final class Regions {

    private Regions() {
    }

    static void prune(Graph g, PrecisionPlan plan) {
        Map<Node, Node> parent = new IdentityHashMap<>();
        for (Node n : g) {
            if (plan.half(n)) {
                parent.put(n, n);
            }
        }
        for (Node n : g) {
            if (!plan.half(n)) {
                continue;
            }
            for (Value v : n.inputs()) {
                if (v != null && v.producer() != null && plan.half(v.producer()) && v.constantValue().isEmpty()
                        && plan.producedHalf(v)) {
                    union(parent, n, v.producer());
                }
            }
        }
        Map<Node, List<Node>> regions = new LinkedHashMap<>();
        for (Node n : g) {
            if (plan.half(n)) {
                regions.computeIfAbsent(find(parent, n), k -> new ArrayList<>()).add(n);
            }
        }
        for (List<Node> region : regions.values()) {
            long arithmetic = region.stream().filter(n -> !plan.form(n).movement()).count();
            int casts = borderCasts(region, plan);
            String why = null;
            if (arithmetic == 0) {
                why = "only moves data, between float32 operators";
            } else if (casts > arithmetic) {
                why = String.format(Locale.ROOT, "its half region (%d arithmetic operators) would need %d Casts at its "
                        + "borders on every run", arithmetic, casts);
            }
            if (why != null) {
                for (Node n : region) {
                    plan.demote(n, why);
                }
            }
        }
    }

    /** Distinct activations crossing the region's border, in either direction. */
    private static int borderCasts(List<Node> region, PrecisionPlan plan) {
        Set<Node> members = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        members.addAll(region);
        Set<Value> crossing = new HashSet<>();
        boolean keepIo = plan.config().keepIoTypes();
        for (Node n : region) {
            HalfOps.Form form = plan.form(n);
            for (int i = 0; i < n.inputs().size(); i++) {
                Value v = n.input(i);
                if (form.halfInput(i) && PrecisionPlan.isFloat(v) && v.constantValue().isEmpty()
                        && !(v.producer() != null && members.contains(v.producer()) && plan.producedHalf(v))
                        && !(v.isGraphInput() && !keepIo)) {
                    crossing.add(v);
                }
            }
            for (int i = 0; i < n.outputs().size(); i++) {
                Value v = n.output(i);
                if (!form.halfOutput(i) || !PrecisionPlan.isFloat(v)) {
                    continue;
                }
                boolean out = v.isGraphOutput() && keepIo;
                for (Usage u : v.uses()) {
                    out |= !plan.readsHalf(u);
                }
                if (out) {
                    crossing.add(v);
                }
            }
        }
        return crossing.size();
    }

    private static Node find(Map<Node, Node> parent, Node n) {
        Node root = n;
        while (parent.get(root) != root) {
            root = parent.get(root);
        }
        while (parent.get(n) != root) {
            Node next = parent.get(n);
            parent.put(n, root);
            n = next;
        }
        return root;
    }

    private static void union(Map<Node, Node> parent, Node a, Node b) {
        Node ra = find(parent, a);
        Node rb = find(parent, b);
        if (ra != rb) {
            parent.put(ra, rb);
        }
    }
}
