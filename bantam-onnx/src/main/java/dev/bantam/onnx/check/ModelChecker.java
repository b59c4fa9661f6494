package dev.bantam.onnx.check;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.Function;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a model's structure: every input defined, value names unique, no cycles, every domain imported,
 * and every tensor's stored bytes matching its shape and type. It reports; it never changes the model.
 */
public final class ModelChecker {

    private final List<Issue> issues = new ArrayList<>();
    private final Set<String> localFunctions = new HashSet<>();

    private ModelChecker() {
    }

    public static CheckReport check(Model model) {
        ModelChecker c = new ModelChecker();
        c.checkModel(model);
        return new CheckReport(c.issues);
    }

    private void checkModel(Model m) {
        if (m.irVersion() == null) {
            error("model", "ir_version is missing");
        }
        if (m.opsetImports().isEmpty()) {
            error("model", "no opset_import: the model does not say which operator set versions it uses");
        }
        for (Function f : m.functions()) {
            localFunctions.add(OpsetId.normalize(f.domain()) + ":" + f.name());
        }
        checkGraph(m.graph(), "graph '" + m.graph().name() + "'", domains(m.opsetImports()));
        for (Function f : m.functions()) {
            checkGraph(f.body(), "function '" + f.name() + "'", domains(f.opsetImports()));
        }
    }

    private static Set<String> domains(List<OpsetId> opsets) {
        return opsets.stream().map(OpsetId::normalizedDomain).collect(Collectors.toSet());
    }

    private void checkGraph(Graph g, String where, Set<String> imported) {
        checkUniqueNames(g, where);
        for (Value v : g.initializers()) {
            TensorChecks.check(v.initializer(), where + ", initializer '" + v.name() + "'", issues);
        }
        for (Node n : g) {
            String at = where + ", node '" + n.displayName() + "'";
            String domain = n.normalizedDomain();
            if (!imported.contains(domain) && !localFunctions.contains(domain + ":" + n.opType())) {
                error(at, "domain '" + domain + "' of " + n.opType() + " has no opset import");
            }
            for (Value in : n.inputs()) {
                if (in != null && !in.isDefined()) {
                    error(at, "input '" + in.name() + "' is not defined by any node, graph input or initializer");
                }
            }
            for (Attribute a : n.attributes()) {
                checkAttribute(a, at, imported);
            }
        }
        for (Value out : g.outputs()) {
            if (!out.isDefined()) {
                error(where, "graph output '" + out.name() + "' is not defined by any node, input or initializer");
            }
        }
        new GraphOrder(g).check(where, issues);
    }

    private void checkAttribute(Attribute a, String at, Set<String> imported) {
        switch (a.value()) {
            case AttributeValue.TensorValue t -> TensorChecks.check(t.value(), at + ", attribute '" + a.name() + "'", issues);
            case AttributeValue.TensorsValue ts -> ts.value().forEach(t ->
                    TensorChecks.check(t, at + ", attribute '" + a.name() + "'", issues));
            case AttributeValue.GraphValue gv -> checkGraph(gv.value(), at + ", subgraph '" + a.name() + "'", imported);
            case AttributeValue.GraphsValue gs -> gs.value().forEach(sub ->
                    checkGraph(sub, at + ", subgraph '" + a.name() + "'", imported));
            default -> { }
        }
    }

    private void checkUniqueNames(Graph g, String where) {
        Set<String> seen = new HashSet<>();
        List<Value> defs = new ArrayList<>(g.inputs());
        for (Value v : g.initializers()) {
            if (!v.isGraphInput()) {
                defs.add(v);
            }
        }
        defs.addAll(g.sparseInitializers());
        for (Node n : g) {
            n.outputs().stream().filter(v -> v != null).forEach(defs::add);
        }
        for (Value v : defs) {
            if (!seen.add(v.name())) {
                String by = v.producer() != null ? " (again by node '" + v.producer().displayName() + "')" : "";
                error(where, "value name '" + v.name() + "' is defined more than once" + by);
            }
        }
    }

    private void error(String where, String message) {
        issues.add(new Issue(Issue.Severity.ERROR, where, message));
    }
}
