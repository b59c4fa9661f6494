package dev.bantam.onnx.check;

import dev.bantam.onnx.ir.Function;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.OpsetId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds model-local functions whose calls form a cycle: a function calling itself, directly or through others.
 * ONNX Runtime inlines functions and recurses without end on such a model, until it crashes.
 */
final class FunctionCalls {

    private FunctionCalls() {
    }

    static String key(String domain, String name) {
        return OpsetId.normalize(domain) + ":" + name;
    }

    static void check(List<Function> functions, List<Issue> issues) {
        Map<String, Function> byKey = new LinkedHashMap<>();
        for (Function f : functions) {
            byKey.putIfAbsent(key(f.domain(), f.name()), f);
        }
        Map<String, Set<String>> calls = new HashMap<>();
        byKey.forEach((k, f) -> {
            Set<String> callees = new LinkedHashSet<>();
            for (Graph g : f.body().graphsRecursive()) {
                g.forEach(n -> {
                    String c = key(n.domain(), n.opType());
                    if (byKey.containsKey(c)) {
                        callees.add(c);
                    }
                });
            }
            calls.put(k, callees);
        });
        Set<String> done = new HashSet<>();
        for (String start : byKey.keySet()) {
            List<String> cycle = findCycle(start, calls, new ArrayList<>(), done);
            if (cycle != null) {
                String first = byKey.get(cycle.getFirst()).name();
                String msg = cycle.size() == 1 ? "function '" + first + "' calls itself"
                        : "functions " + String.join(" -> ", cycle.stream().map(c -> "'" + byKey.get(c).name() + "'")
                                .toList()) + " -> '" + first + "' call each other in a cycle";
                issues.add(new Issue(Issue.Severity.ERROR, "function '" + first + "'", msg));
                return;
            }
        }
    }

    /** Depth-first search from {@code at}; the functions of the first cycle found, or null. */
    private static List<String> findCycle(String at, Map<String, Set<String>> calls, List<String> path,
                                          Set<String> done) {
        int i = path.indexOf(at);
        if (i >= 0) {
            return new ArrayList<>(path.subList(i, path.size()));
        }
        if (done.contains(at)) {
            return null;
        }
        path.add(at);
        for (String next : calls.getOrDefault(at, Set.of())) {
            List<String> c = findCycle(next, calls, path, done);
            if (c != null) {
                return c;
            }
        }
        path.removeLast();
        done.add(at);
        return null;
    }
}
