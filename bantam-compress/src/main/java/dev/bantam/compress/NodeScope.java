package dev.bantam.compress;

import dev.bantam.onnx.ir.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which nodes a technique touches; every technique's config has one.
 *
 * @param opTypes        operator types to consider (a technique refuses types it cannot handle)
 * @param excludeOpTypes operator types left alone whatever {@code opTypes} says
 * @param excludeNames   regular expressions; a node is left alone when one is found in its name, or, for an
 *                       unnamed node, in {@code "Op producing 'output'"} (how reports show unnamed nodes)
 * @param keepFirstLast  the first and the last weighted layer (Conv, ConvTranspose, Gemm or MatMul with a
 *                       weight, in graph order) are left alone
 * @param minWeightSize  weights with fewer elements are left alone
 */
public record NodeScope(List<String> opTypes, List<String> excludeOpTypes, List<String> excludeNames,
                        boolean keepFirstLast, long minWeightSize) {

    public NodeScope {
        opTypes = sortedDistinct(opTypes, "opTypes");
        excludeOpTypes = sortedDistinct(excludeOpTypes, "excludeOpTypes");
        excludeNames = List.copyOf(excludeNames == null ? List.of() : excludeNames);
        for (String p : excludeNames) {
            try {
                Pattern.compile(p);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("exclude pattern '" + p + "' is not a regular expression: "
                        + e.getDescription());
            }
        }
        if (minWeightSize < 0) {
            throw new IllegalArgumentException("minWeightSize must be >= 0, got " + minWeightSize);
        }
    }

    /** Every operator of {@code opTypes}, nothing excluded. */
    public static NodeScope of(Set<String> opTypes, long minWeightSize) {
        return new NodeScope(List.copyOf(opTypes), List.of(), List.of(), false, minWeightSize);
    }

    public NodeScope withOpTypes(List<String> ops) {
        return new NodeScope(ops, excludeOpTypes, excludeNames, keepFirstLast, minWeightSize);
    }

    public NodeScope withExclusions(List<String> ops, List<String> names) {
        return new NodeScope(opTypes, ops, names, keepFirstLast, minWeightSize);
    }

    public NodeScope withKeepFirstLast(boolean keep) {
        return new NodeScope(opTypes, excludeOpTypes, excludeNames, keep, minWeightSize);
    }

    public NodeScope withMinWeightSize(long size) {
        return new NodeScope(opTypes, excludeOpTypes, excludeNames, keepFirstLast, size);
    }

    /** Refuses operator types the technique cannot handle, naming them and what it can. */
    public void requireSupported(Set<String> supported, String technique) {
        List<String> bad = opTypes.stream().filter(op -> !supported.contains(op)).toList();
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException(technique + " cannot handle " + String.join(", ", bad)
                    + "; it handles " + String.join(", ", new TreeSet<>(supported)));
        }
    }

    /** Whether a standard-domain node of one of {@code opTypes}, not excluded by type or by name. */
    public boolean selects(Node n) {
        return n.normalizedDomain().isEmpty() && opTypes.contains(n.opType()) && !excludeOpTypes.contains(n.opType())
                && !excludedByName(n);
    }

    /** Why {@link #selects} refuses a node of a considered type; null when it selects it. */
    public String whyNot(Node n) {
        if (!n.normalizedDomain().isEmpty() || !opTypes.contains(n.opType())) {
            return n.opType() + " is not among the operator types in scope";
        }
        if (excludeOpTypes.contains(n.opType())) {
            return "excluded by operator type";
        }
        return excludedByName(n) ? "excluded by name" : null;
    }

    public boolean excludedByName(Node n) {
        String name = n.displayName();
        return excludeNames.stream().anyMatch(p -> Pattern.compile(p).matcher(name).find());
    }

    /** With {@link #keepFirstLast}: the first and last of {@code weighted} (in graph order); else none. */
    public List<Node> firstAndLast(List<Node> weighted) {
        if (!keepFirstLast || weighted.isEmpty()) {
            return List.of();
        }
        return weighted.size() == 1 ? List.of(weighted.getFirst()) : List.of(weighted.getFirst(), weighted.getLast());
    }

    private static List<String> sortedDistinct(List<String> ops, String field) {
        List<String> out = new ArrayList<>(new TreeSet<>(ops == null ? List.of() : ops));
        if (out.stream().anyMatch(s -> s == null || s.isBlank())) {
            throw new IllegalArgumentException(field + " has an empty operator type");
        }
        return List.copyOf(out);
    }
}
