package dev.bantam.onnx.check;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Function;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a model before anything runs or rewrites it: the versions it imports, every input defined in its own
 * graph or an enclosing one, value names unique, no cycles, every domain imported, every standard node as its
 * operator's schema allows, no local function calling itself, every tensor's stored bytes matching its shape and
 * type, and no constant that makes an integer division trap. It aims to refuse what ONNX Runtime refuses or
 * crashes on. It reports; it never changes the model.
 */
public final class ModelChecker {

    private final List<Issue> issues = new ArrayList<>();
    private final Set<String> localFunctions = new HashSet<>();
    /** Whether the graph being checked is (inside) a function body, where attribute references are allowed. */
    private boolean inFunction;
    private final NodeChecks nodeChecks = new NodeChecks(OperatorTable.standard(), issues);

    private ModelChecker() {
    }

    public static CheckReport check(Model model) {
        ModelChecker c = new ModelChecker();
        c.checkModel(model);
        return new CheckReport(c.issues);
    }

    private void checkModel(Model m) {
        ImportChecks.checkIrVersion(m, issues);
        if (m.opsetImports().isEmpty()) {
            error("model", "no opset_import: the model does not say which operator set versions it uses");
        }
        Map<String, Long> opsets = ImportChecks.checkOpsets(m.opsetImports(), "model", issues);
        for (Function f : m.functions()) {
            localFunctions.add(FunctionCalls.key(f.domain(), f.name()));
        }
        StructureChecks.checkMainGraph(m.graph(), "graph " + quote(m.graph().name()), issues);
        checkGraph(m.graph(), "graph " + quote(m.graph().name()), opsets);
        inFunction = true;
        for (Function f : m.functions()) {
            String where = "function " + quote(f.name());
            checkGraph(f.body(), where, ImportChecks.checkOpsets(f.opsetImports(), where, issues));
        }
        inFunction = false;
        FunctionCalls.check(m.functions(), issues);
    }

    private void checkGraph(Graph g, String where, Map<String, Long> opsets) {
        checkUniqueNames(g, where);
        for (Value v : g.initializers()) {
            TensorChecks.check(v.initializer(), where + ", initializer " + quote(v.name()), issues);
        }
        for (Value v : g.sparseInitializers()) {
            SparseTensorChecks.check(v.sparseInitializer(), where + ", sparse initializer " + quote(v.name()), issues);
        }
        for (Node n : g) {
            checkNode(n, g, where + ", node " + quote(n.displayName()), opsets);
        }
        for (Value out : g.outputs()) {
            if (!out.isDefined()) {
                error(where, "graph output " + quote(out.name()) + " is not defined by any node, input or initializer");
            }
        }
        new GraphOrder(g).check(where, issues);
    }

    private void checkNode(Node n, Graph g, String at, Map<String, Long> opsets) {
        String domain = n.normalizedDomain();
        boolean local = localFunctions.contains(FunctionCalls.key(domain, n.opType()));
        if (!opsets.containsKey(domain) && !local) {
            error(at, "domain " + (domain.isEmpty() ? "ai.onnx" : quote(domain)) + " of " + n.opType()
                    + " has no opset import");
        }
        nodeChecks.checkAttributeNames(n, at);
        if (!local && opsets.containsKey(domain)) {
            nodeChecks.check(n, opsets.get(domain), at);
        }
        for (Value in : n.inputs()) {
            if (in != null) {
                checkInput(n, g, in, at);
            }
        }
        if (n.isStandard("If")) {
            checkCondition(n, at);
        }
        DivisionChecks.check(n, at, issues);
        StructureChecks.checkBodies(n, at, issues);
        LoopChecks.check(n, at, issues);
        for (Attribute a : n.attributes()) {
            StructureChecks.checkReference(a, inFunction, at, issues);
            checkAttribute(a, at, opsets);
        }
    }

    /** An input must be defined, in this graph or an enclosing one, and not by the node itself. */
    private void checkInput(Node n, Graph g, Value in, String at) {
        if (!in.isDefined()) {
            error(at, "input " + quote(in.name()) + " is not defined by any node, graph input or initializer"
                    + (g.parentNode() != null ? " of this graph or an enclosing one" : ""));
            return;
        }
        if (in.producer() == n) {
            error(at, "node reads its own output " + quote(in.name()));
            return;
        }
        for (Graph s = g; s != null && s.parentNode() != null; s = s.parentGraph()) {
            if (in.producer() == s.parentNode()) {
                error(at, "subgraph reads " + quote(in.name()) + ", an output of the node "
                        + quote(s.parentNode().displayName()) + " that holds it");
                return;
            }
        }
        Graph defining = in.producer() != null ? in.producer().graph() : in.graph();
        if (defining != null && !encloses(defining, g)) {
            error(at, "input " + quote(in.name()) + " is defined in another graph, which does not enclose this one");
        }
    }

    private static boolean encloses(Graph outer, Graph g) {
        for (Graph s = g; s != null; s = s.parentGraph()) {
            if (s == outer) {
                return true;
            }
        }
        return false;
    }

    private void checkCondition(Node n, String at) {
        Value cond = n.input(0);
        if (cond != null && cond.type() instanceof ValueType.TensorType t && t.elementType() != DataType.BOOL
                && t.elementType() != DataType.UNDEFINED) {
            error(at, "condition " + quote(cond.name()) + " of If is " + t.elementType() + ", not BOOL");
        }
    }

    private void checkAttribute(Attribute a, String at, Map<String, Long> opsets) {
        String where = at + ", attribute " + quote(a.name());
        switch (a.value()) {
            case AttributeValue.TensorValue t -> TensorChecks.check(t.value(), where, issues);
            case AttributeValue.TensorsValue ts -> ts.value().forEach(t -> TensorChecks.check(t, where, issues));
            case AttributeValue.SparseTensorValue s -> SparseTensorChecks.check(s.value(), where, issues);
            case AttributeValue.SparseTensorsValue ss -> ss.value().forEach(s ->
                    SparseTensorChecks.check(s, where, issues));
            case AttributeValue.GraphValue gv -> checkGraph(gv.value(), at + ", subgraph " + quote(a.name()), opsets);
            case AttributeValue.GraphsValue gs -> gs.value().forEach(sub ->
                    checkGraph(sub, at + ", subgraph " + quote(a.name()), opsets));
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
                String by = v.producer() != null ? " (again by node " + quote(v.producer().displayName()) + ")" : "";
                error(where, "value name " + quote(v.name()) + " is defined more than once" + by);
            }
        }
        Set<String> nodeNames = new HashSet<>();
        for (Node n : g) {
            if (n.name() != null && !n.name().isEmpty() && !nodeNames.add(n.name())) {
                error(where, "node name " + quote(n.name()) + " is used by more than one node (ONNX Runtime refuses that)");
            }
        }
    }

    /** A name in quotes, or "(unnamed)" for an absent or empty one: messages never show "null". */
    static String quote(String name) {
        return name == null || name.isEmpty() ? "(unnamed)" : "'" + name + "'";
    }

    private void error(String where, String message) {
        issues.add(new Issue(Issue.Severity.ERROR, where, message));
    }
}
