package dev.bantam.onnx.check;

import dev.bantam.onnx.ir.Function;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.OpsetId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
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
        List<String> cycle = findCycle(byKey.keySet(), calls);
        if (cycle != null) {
            String first = byKey.get(cycle.getFirst()).name();
            List<String> names = cycle.stream().map(c -> "'" + byKey.get(c).name() + "'").toList();
            String chain = names.size() <= 4 ? String.join(" -> ", names)
                    : String.join(" -> ", names.subList(0, 3)) + " -> ... -> " + names.getLast();
            String msg = cycle.size() == 1 ? "function '" + first + "' calls itself" : "functions " + chain + " -> '"
                    + first + "' call each other in a cycle" + (names.size() > 4 ? " of " + names.size() : "");
            issues.add(new Issue(Issue.Severity.ERROR, "function '" + first + "'", msg));
        }
    }

    /**
     * The functions of the first call cycle found by a depth-first search from each function in turn, or null.
     * Iterative, so a long chain of calls in a hostile model cannot overflow the stack.
     */
    private static List<String> findCycle(Set<String> starts, Map<String, Set<String>> calls) {
        Set<String> done = new HashSet<>();
        for (String start : starts) {
            if (done.contains(start)) {
                continue;
            }
            List<String> path = new ArrayList<>();
            Set<String> onPath = new HashSet<>();
            Deque<Iterator<String>> pending = new ArrayDeque<>();
            path.add(start);
            onPath.add(start);
            pending.push(calls.getOrDefault(start, Set.of()).iterator());
            while (!pending.isEmpty()) {
                Iterator<String> it = pending.peek();
                if (!it.hasNext()) {
                    pending.pop();
                    String finished = path.removeLast();
                    onPath.remove(finished);
                    done.add(finished);
                    continue;
                }
                String next = it.next();
                if (onPath.contains(next)) {
                    return new ArrayList<>(path.subList(path.indexOf(next), path.size()));
                }
                if (!done.contains(next)) {
                    path.add(next);
                    onPath.add(next);
                    pending.push(calls.getOrDefault(next, Set.of()).iterator());
                }
            }
        }
        return null;
    }
}
