package dev.bantam.onnx.check;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.AttributeType;
import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a node against the operator table: the operator exists at the imported opset, the node has as many
 * inputs and outputs as it allows, and its attributes are named once, known, of the right type, present when
 * required and within their bounds. ONNX Runtime refuses a model that breaks any of these, or crashes on it.
 */
final class NodeChecks {

    private final OperatorTable table;
    private final List<Issue> issues;

    NodeChecks(OperatorTable table, List<Issue> issues) {
        this.table = table;
        this.issues = issues;
    }

    /** Names every attribute once and gives every attribute a name: required of any node, of any domain. */
    void checkAttributeNames(Node n, String at) {
        Map<String, Integer> seen = new HashMap<>();
        for (Attribute a : n.attributes()) {
            if (a.name() == null || a.name().isEmpty()) {
                error(at, "an attribute has no name");
            } else if (seen.merge(a.name(), 1, Integer::sum) == 2) {
                error(at, "attribute '" + a.name() + "' is given more than once");
            }
        }
    }

    /** Checks a node of a domain the table covers, which the model imports at version {@code opset}. */
    void check(Node n, long opset, String at) {
        if (n.opType() == null || n.opType().isEmpty()) {
            error(at, "node has no op_type");
            return;
        }
        Optional<OperatorTable.Domain> domain = table.domain(n.normalizedDomain());
        if (domain.isEmpty()) {
            return;
        }
        OperatorTable.Domain d = domain.get();
        boolean strict = opset <= d.strictThrough();
        Optional<OperatorVersion> found = d.at(n.opType(), opset);
        if (found.isEmpty()) {
            if (d.knows(n.opType())) {
                error(at, "operator " + n.opType() + " needs " + d.name() + " opset " + d.firstSince(n.opType())
                        + " or later; the model imports opset " + opset);
            } else if (strict) {
                error(at, "unknown operator '" + n.opType() + "' in domain " + d.name() + " (opset " + opset + ")");
            }
            return;
        }
        OperatorVersion v = found.get();
        if (v.deprecated()) {
            error(at, "operator " + n.opType() + " is deprecated since " + d.name() + " opset " + v.since()
                    + "; the model imports opset " + opset);
        } else if (!v.unchecked()) {
            if (strict) {
                checkCount(at, v, "inputs", n.inputs().size(), v.minInputs(), v.maxInputs());
                checkCount(at, v, "outputs", n.outputs().size(), v.minOutputs(), v.maxOutputs());
            }
            checkAttributes(n, v, strict, at);
        }
    }

    private void checkCount(String at, OperatorVersion v, String what, int n, int min, int max) {
        if (n >= min && n <= max) {
            return;
        }
        String allowed = min == max ? String.valueOf(min)
                : max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
        error(at, v.label() + " takes " + allowed + " " + what + ", the node has " + n);
    }

    private void checkAttributes(Node n, OperatorVersion v, boolean strict, String at) {
        for (Attribute a : n.attributes()) {
            if (a.name() == null || a.name().isEmpty()) {
                continue;
            }
            AttributeSpec spec = v.attributes().get(a.name());
            if (spec == null) {
                if (strict) {
                    error(at, "unknown attribute '" + a.name() + "' for " + v.label());
                }
                continue;
            }
            AttributeType type = a.value() instanceof AttributeValue.Reference r ? r.type() : a.type();
            if (type != spec.type()) {
                error(at, "attribute '" + a.name() + "' of " + v.label() + " is " + type + ", expected "
                        + spec.type());
            } else if (spec.atLeast() != null) {
                checkBound(a, spec.atLeast(), v, at);
            }
        }
        for (AttributeSpec spec : v.attributes().values()) {
            if (spec.required() && n.attribute(spec.name()).isEmpty()) {
                error(at, v.label() + " needs attribute '" + spec.name() + "', which the node lacks");
            }
        }
    }

    private void checkBound(Attribute a, long atLeast, OperatorVersion v, String at) {
        long[] values = switch (a.value()) {
            case AttributeValue.IntValue i -> new long[] {i.value()};
            case AttributeValue.IntsValue is -> is.value();
            default -> new long[0];
        };
        for (long x : values) {
            if (x < atLeast) {
                error(at, "attribute '" + a.name() + "' of " + v.label() + " holds " + x
                        + "; each value must be at least " + atLeast);
                return;
            }
        }
    }

    private void error(String at, String message) {
        issues.add(new Issue(Issue.Severity.ERROR, at, message));
    }
}
