package dev.bantam.onnx.optimize;

import dev.bantam.onnx.check.StandardOperators;
import dev.bantam.onnx.infer.ShapeInference;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.pass.Pass;
import dev.bantam.onnx.pass.PassResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Raises the default-domain opset import, converting every node across the changes of its operator between the
 * model's opset and the target ({@link OpsetChanges}): attributes that became inputs, meanings that changed,
 * operators replaced by others (Upsample by Resize, Scatter by ScatterElements). Every node is planned before any is
 * changed: when one cannot be converted, the model is left as it was and the error names each such node and why.
 * The IR version rises to the least the target opset needs. Runs only when asked.
 */
public final class OpsetUpgrade implements Pass {

    /** Experimental operators whose later standard schema has the same attributes and meaning. */
    private static final Set<String> STANDARDIZED = Set.of("LayerNormalization", "ThresholdedRelu");
    private static final int MAX_LISTED = 4;
    /** The newest opset whose operator changes {@link OpsetChanges} and the checker's table know. */
    public static final long NEWEST_KNOWN = 23;

    private final long target;

    public OpsetUpgrade(long target) {
        this.target = target;
    }

    @Override
    public String name() {
        return "opset-upgrade";
    }

    private record Step(Node node, Graph graph, List<OpsetChange> changes) {
    }

    @Override
    public PassResult run(Model model) {
        long from = model.opsetVersion("").orElseThrow(() -> new IllegalArgumentException("the model imports no ai.onnx opset"));
        if (target <= from) {
            return PassResult.unchanged();
        }
        if (target > NEWEST_KNOWN) {
            throw new IllegalArgumentException("cannot raise the opset from " + from + " to " + target + ": Bantam knows "
                    + "the operator changes up to opset " + NEWEST_KNOWN);
        }
        if (!model.functions().isEmpty()) {
            throw new IllegalArgumentException("cannot raise the opset from " + from + " to " + target
                    + ": the model has local functions, whose nodes are not converted; keep the model at opset " + from);
        }
        new ShapeInference().run(model);
        Set<String> refusals = new LinkedHashSet<>();
        List<Step> steps = new ArrayList<>();
        for (Graph g : model.graph().graphsRecursive()) {
            for (Node n : g) {
                if (n.normalizedDomain().isEmpty()) {
                    plan(n, g, from, steps, refusals);
                }
            }
        }
        if (!refusals.isEmpty()) {
            throw new IllegalArgumentException(refusalMessage(from, refusals));
        }
        int converted = 0;
        for (Step s : steps) {
            s.changes().forEach(c -> c.apply(s.node(), s.graph()));
            converted++;
        }
        if (target >= 6) {
            // an in-place hint of opset 1 with no meaning, removed at opset 6
            model.graph().forEachNodeRecursive(n -> {
                if (n.normalizedDomain().isEmpty()) {
                    n.removeAttribute("consumed_inputs");
                }
            });
        }
        model.opsetImports().replaceAll(o -> o.normalizedDomain().isEmpty() ? new OpsetId(o.domain(), target) : o);
        long ir = minIrVersion(target);
        if (model.irVersion() != null && model.irVersion() < ir) {
            model.setIrVersion(ir);
        }
        return new PassResult(true, List.of("raised ai.onnx opset " + from + " -> " + target + ", converting " + converted
                + " nodes"));
    }

    /** Adds the node's conversions to {@code steps}, or why it cannot be converted to {@code refusals}. */
    private void plan(Node n, Graph g, long from, List<Step> steps, Set<String> refusals) {
        String op = n.opType();
        String why = null;
        List<OpsetChange> changes = new ArrayList<>();
        if (!StandardOperators.known(op)) {
            why = "it is not a standard operator";
        } else if (StandardOperators.experimentalAt(op, from) && !STANDARDIZED.contains(op)) {
            why = "it is an experimental operator that ONNX removed, with no standard form";
        } else {
            long at = from;
            boolean renamed = true;
            while (renamed && why == null) {
                renamed = false;
                for (int v : StandardOperators.versions(op)) {
                    if (v <= at || v > target) {
                        continue;
                    }
                    OpsetChange c = OpsetChanges.at(op, v);
                    if (c == null) {
                        if (StandardOperators.deprecatedAt(op, v)) {
                            why = op + " is deprecated from opset " + v + " and has no replacement";
                            break;
                        }
                        continue;
                    }
                    why = c.refusal(n);
                    if (why != null) {
                        break;
                    }
                    changes.add(c);
                    if (c.renamedTo() != null) {
                        op = c.renamedTo();
                        at = v;
                        renamed = true;
                        break;
                    }
                }
            }
        }
        if (why != null) {
            refusals.add((n.name() == null || n.name().isEmpty() ? n.displayName() : "node '" + n.name() + "'") + " ("
                    + n.opType() + "): " + why);
        } else if (!changes.isEmpty()) {
            steps.add(new Step(n, g, changes));
        }
    }

    private String refusalMessage(long from, Set<String> refusals) {
        List<String> listed = refusals.stream().limit(MAX_LISTED).toList();
        String more = refusals.size() > MAX_LISTED ? "; and " + (refusals.size() - MAX_LISTED) + " more nodes" : "";
        return "cannot raise the opset from " + from + " to " + target + ": " + String.join("; ", listed) + more
                + ". Keep the model at opset " + from + ", or export it again at opset " + target + " or later";
    }

    /** The least IR version a model importing ai.onnx {@code opset} must declare. */
    static long minIrVersion(long opset) {
        return opset <= 8 ? 3 : opset == 9 ? 4 : opset == 10 ? 5 : opset == 11 ? 6 : opset <= 14 ? 7 : opset <= 18 ? 8
                : opset <= 20 ? 9 : opset <= 22 ? 10 : 11;
    }
}
