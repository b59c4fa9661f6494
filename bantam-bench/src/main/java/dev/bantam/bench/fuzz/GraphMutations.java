package dev.bantam.bench.fuzz;

import dev.bantam.onnx.ir.serde.proto.Onnx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Hostile changes to a model's graph structure: names, edges, order, operators, opsets, nesting and functions.
 * Each entry says what it does in its name; the helpers below it do the work.
 */
final class GraphMutations {

    static final List<Mutation> ALL = List.of(
            new Mutation("dangling-input", GraphMutations::danglingInput),
            new Mutation("empty-input-name", (d, r) -> setInput(d, r, "")),
            new Mutation("cycle", GraphMutations::cycle),
            new Mutation("self-loop", GraphMutations::selfLoop),
            new Mutation("shuffle-nodes", (d, r) -> shuffle(d, r)),
            new Mutation("duplicate-output", GraphMutations::duplicateOutput),
            new Mutation("output-shadows-input", (d, r) -> renameOutput(d, r, "X")),
            new Mutation("output-shadows-initializer", GraphMutations::outputShadowsInitializer),
            new Mutation("duplicate-node-name", GraphMutations::duplicateNodeName),
            new Mutation("remove-node-names", (d, r) -> d.graph().getNodeBuilderList().forEach(n -> n.clearName())),
            new Mutation("remove-node", GraphMutations::removeNode),
            new Mutation("duplicate-node", GraphMutations::duplicateNode),
            new Mutation("remove-graph-input", (d, r) -> d.graph().clearInput()),
            new Mutation("remove-graph-output", (d, r) -> d.graph().clearOutput()),
            new Mutation("undefined-graph-output", (d, r) -> d.graph().addOutput(Protos.value("ghost", 1, 1))),
            new Mutation("duplicate-graph-input", GraphMutations::duplicateGraphInput),
            new Mutation("initializer-also-input", GraphMutations::initializerAlsoInput),
            new Mutation("unknown-op", (d, r) -> opType(d, r, r.pickOf("FooBar", "", "conv", "Add ", "Gemm\u0000"))),
            new Mutation("swap-op", (d, r) -> opType(d, r, r.pickOf("Conv", "Gemm", "MatMul", "Reshape", "Concat",
                    "If", "Loop", "Scan", "Softmax", "QuantizeLinear", "DequantizeLinear", "BatchNormalization",
                    "LayerNormalization", "Constant", "Split", "Gather", "Transpose", "Cast"))),
            new Mutation("unknown-domain", GraphMutations::unknownDomain),
            new Mutation("extra-inputs", GraphMutations::extraInputs),
            new Mutation("drop-inputs", GraphMutations::dropInputs),
            new Mutation("extra-outputs", GraphMutations::extraOutputs),
            new Mutation("ir-version", (d, r) -> d.model.setIrVersion(r.pickOf(0L, -1L, 1L, 3L, 11L, 12L, 99L,
                    Long.MAX_VALUE))),
            new Mutation("no-ir-version", (d, r) -> d.model.clearIrVersion()),
            new Mutation("opset-version", GraphMutations::opsetVersion),
            new Mutation("no-opset", (d, r) -> d.model.clearOpsetImport()),
            new Mutation("duplicate-opset", (d, r) -> d.model.addOpsetImport(Protos.opset("", r.pickOf(11L, 17L)))),
            new Mutation("deep-if-nesting", GraphMutations::deepNesting),
            new Mutation("recursive-function", GraphMutations::recursiveFunction),
            new Mutation("function-bad-body", GraphMutations::functionBadBody),
            new Mutation("duplicate-function", GraphMutations::duplicateFunction),
            new Mutation("subgraph-reads-undefined", GraphMutations::subgraphReadsUndefined),
            new Mutation("subgraph-on-plain-op", GraphMutations::subgraphOnPlainOp),
            new Mutation("many-nodes", GraphMutations::manyNodes),
            new Mutation("large-doc-string", (d, r) -> d.model.setDocString("x".repeat(r.pickOf(1 << 10, 1 << 16,
                    1 << 20)))),
            new Mutation("odd-names", GraphMutations::oddNames));

    private GraphMutations() {
    }

    static Onnx.NodeProto.Builder anyNode(ModelDraft d, Rng r) {
        List<Onnx.NodeProto.Builder> nodes = new ArrayList<>(d.graph().getNodeBuilderList());
        for (Onnx.FunctionProto.Builder f : d.model.getFunctionsBuilderList()) {
            nodes.addAll(f.getNodeBuilderList());
        }
        return nodes.isEmpty() ? null : r.pick(nodes);
    }

    private static void danglingInput(ModelDraft d, Rng r) {
        setInput(d, r, "nowhere_" + r.below(10));
    }

    private static void setInput(ModelDraft d, Rng r, String name) {
        Onnx.NodeProto.Builder n = anyNode(d, r);
        if (n != null && n.getInputCount() > 0) {
            n.setInput(r.below(n.getInputCount()), name);
        } else if (n != null) {
            n.addInput(name);
        }
    }

    private static void cycle(ModelDraft d, Rng r) {
        Onnx.GraphProto.Builder g = d.graph();
        int n = g.getNodeCount();
        if (n < 2) {
            selfLoop(d, r);
            return;
        }
        int early = r.below(n - 1);
        int late = r.between(early + 1, n - 1);
        Onnx.NodeProto.Builder e = g.getNodeBuilder(early);
        String out = g.getNode(late).getOutputCount() > 0 ? g.getNode(late).getOutput(0) : "Y";
        if (e.getInputCount() > 0) {
            e.setInput(r.below(e.getInputCount()), out);
        } else {
            e.addInput(out);
        }
    }

    /** Sets the first opset import's version, or adds one when an earlier mutation removed them all. */
    private static void opsetVersion(ModelDraft d, Rng r) {
        var opset = Protos.opset("", r.pickOf(0L, -1L, 1L, 6L, 7L, 10L, 13L, 21L, 22L, 23L, 99L, 1L << 40));
        if (d.model.getOpsetImportCount() == 0) {
            d.model.addOpsetImport(opset);
        } else {
            d.model.setOpsetImport(0, opset);
        }
    }

    private static void selfLoop(ModelDraft d, Rng r) {
        Onnx.NodeProto.Builder n = anyNode(d, r);
        if (n != null && n.getOutputCount() > 0) {
            n.addInput(n.getOutput(0));
        }
    }

    private static void shuffle(ModelDraft d, Rng r) {
        List<Onnx.NodeProto> nodes = new ArrayList<>(d.graph().getNodeList());
        Collections.shuffle(nodes, new java.util.Random(r.nextLong()));
        d.graph().clearNode().addAllNode(nodes);
    }

    private static void duplicateOutput(ModelDraft d, Rng r) {
        Onnx.GraphProto.Builder g = d.graph();
        if (g.getNodeCount() >= 2) {
            String o = g.getNode(r.below(g.getNodeCount())).getOutput(0);
            g.getNodeBuilder(r.below(g.getNodeCount())).setOutput(0, o);
        }
    }

    private static void renameOutput(ModelDraft d, Rng r, String name) {
        Onnx.NodeProto.Builder n = anyNode(d, r);
        if (n != null && n.getOutputCount() > 0) {
            n.setOutput(0, name);
        }
    }

    private static void outputShadowsInitializer(ModelDraft d, Rng r) {
        if (d.graph().getInitializerCount() > 0) {
            renameOutput(d, r, d.graph().getInitializer(r.below(d.graph().getInitializerCount())).getName());
        }
    }

    private static void duplicateNodeName(ModelDraft d, Rng r) {
        for (Onnx.NodeProto.Builder n : d.graph().getNodeBuilderList()) {
            n.setName("same");
        }
    }

    private static void removeNode(ModelDraft d, Rng r) {
        if (d.graph().getNodeCount() > 0) {
            d.graph().removeNode(r.below(d.graph().getNodeCount()));
        }
    }

    private static void duplicateNode(ModelDraft d, Rng r) {
        if (d.graph().getNodeCount() > 0) {
            d.graph().addNode(d.graph().getNode(r.below(d.graph().getNodeCount())));
        }
    }

    private static void duplicateGraphInput(ModelDraft d, Rng r) {
        if (d.graph().getInputCount() > 0) {
            d.graph().addInput(d.graph().getInput(0));
        }
    }

    private static void initializerAlsoInput(ModelDraft d, Rng r) {
        for (Onnx.TensorProto t : d.graph().getInitializerList()) {
            d.graph().addInput(Protos.value(t.getName(), t.getDataType(), t.getDimsList().stream()
                    .mapToLong(Long::longValue).toArray()));
        }
    }

    private static void opType(ModelDraft d, Rng r, String op) {
        Onnx.NodeProto.Builder n = anyNode(d, r);
        if (n != null) {
            n.setOpType(op);
        }
    }

    private static void unknownDomain(ModelDraft d, Rng r) {
        Onnx.NodeProto.Builder n = anyNode(d, r);
        if (n != null) {
            n.setDomain(r.pickOf("com.microsoft", "ai.onnx.ml", "nowhere", "ai.onnx", "local"));
        }
        if (r.chance(0.5)) {
            d.model.addOpsetImport(Protos.opset(n == null ? "x" : n.getDomain(), r.pickOf(1L, 0L, -3L)));
        }
    }

    private static void extraInputs(ModelDraft d, Rng r) {
        Onnx.NodeProto.Builder n = anyNode(d, r);
        int k = r.between(1, 6);
        for (int i = 0; n != null && i < k; i++) {
            n.addInput(r.chance(0.5) ? "X" : "");
        }
    }

    private static void dropInputs(ModelDraft d, Rng r) {
        Onnx.NodeProto.Builder n = anyNode(d, r);
        if (n != null && n.getInputCount() > 0) {
            List<String> keep = new ArrayList<>(n.getInputList().subList(0, r.below(n.getInputCount())));
            n.clearInput().addAllInput(keep);
        }
    }

    private static void extraOutputs(ModelDraft d, Rng r) {
        Onnx.NodeProto.Builder n = anyNode(d, r);
        if (n != null) {
            n.addOutput("extra_" + r.below(3));
            n.addOutput(r.chance(0.5) ? "" : "extra_" + r.below(3));
        }
    }

    /** Wraps the main graph's first node in If nodes nested {@code depth} deep. */
    private static void deepNesting(ModelDraft d, Rng r) {
        Onnx.GraphProto.Builder g = d.graph();
        if (g.getNodeCount() == 0 || g.getNode(0).getOutputCount() == 0) {
            return;
        }
        int depth = r.pickOf(2, 10, 60, 120, 400, 1000);
        Onnx.NodeProto inner = g.getNode(0);
        String out = inner.getOutput(0);
        g.addInitializer(Protos.scalarBool("nest_cond", true));
        Onnx.GraphProto flat = Onnx.GraphProto.newBuilder().setName("flat")
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName(out)).addNode(inner).build();
        for (int i = 0; i < depth; i++) {
            Onnx.GraphProto branch = Onnx.GraphProto.newBuilder().setName("nest" + i)
                    .addOutput(Onnx.ValueInfoProto.newBuilder().setName(out)).addNode(inner).build();
            inner = Protos.node("If", "nest_if" + i, Protos.in("nest_cond"), out)
                    .addAttribute(Protos.graphAttr("then_branch", branch))
                    .addAttribute(Protos.graphAttr("else_branch", flat)).build();
        }
        g.setNode(0, inner);
    }

    private static void recursiveFunction(ModelDraft d, Rng r) {
        Onnx.FunctionProto.Builder f = Onnx.FunctionProto.newBuilder().setName("Rec").setDomain("local")
                .addInput("a").addOutput("o").addOpsetImport(Protos.opset("", 17)).addOpsetImport(Protos.opset("local", 1))
                .addNode(Protos.node(r.pickOf("Rec", "Rec2"), "self", Protos.in("a"), "o").setDomain("local"));
        d.model.addFunctions(f);
        d.model.addFunctions(f.clone().setName("Rec2").setNode(0, Protos.node("Rec", "back", Protos.in("a"), "o")
                .setDomain("local")));
        if (d.model.getOpsetImportList().stream().noneMatch(o -> o.getDomain().equals("local"))) {
            d.model.addOpsetImport(Protos.opset("local", 1));
        }
        Onnx.NodeProto.Builder n = d.graph().getNodeCount() > 0 ? d.graph().getNodeBuilder(0) : null;
        if (n != null && n.getInputCount() > 0) {
            n.setOpType("Rec").setDomain("local").clearAttribute();
            String first = n.getInput(0);
            n.clearInput().addInput(first);
        }
    }

    private static void functionBadBody(ModelDraft d, Rng r) {
        if (d.model.getFunctionsCount() == 0) {
            functionModelFallback(d);
        }
        Onnx.FunctionProto.Builder f = d.model.getFunctionsBuilder(0);
        switch (r.below(5)) {
            case 0 -> f.clearOpsetImport();
            case 1 -> f.addNode(Protos.node("Add", "stray", Protos.in("undeclared", "a"), "o"));
            case 2 -> f.clearOutput().addOutput("never_made");
            case 3 -> f.addInput("a");
            default -> f.clearNode();
        }
    }

    private static void functionModelFallback(ModelDraft d) {
        d.model.addFunctions(Onnx.FunctionProto.newBuilder().setName("AddRelu").setDomain("local").addInput("a")
                .addInput("b").addOutput("o").addOpsetImport(Protos.opset("", 17))
                .addNode(Protos.node("Add", "f_add", Protos.in("a", "b"), "o")));
    }

    private static void duplicateFunction(ModelDraft d, Rng r) {
        if (d.model.getFunctionsCount() == 0) {
            functionModelFallback(d);
        }
        d.model.addFunctions(d.model.getFunctions(0).toBuilder().clearNode());
    }

    private static void subgraphReadsUndefined(ModelDraft d, Rng r) {
        Onnx.GraphProto sub = Onnx.GraphProto.newBuilder().setName("bad_branch")
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName("b_out"))
                .addNode(Protos.node("Relu", "b_relu", Protos.in(r.pickOf("undefined_outer", "", "b_out")), "b_out"))
                .build();
        d.graph().addInitializer(Protos.scalarBool("sub_cond", r.chance(0.5)));
        d.graph().addNode(Protos.node("If", "bad_if", Protos.in("sub_cond"), "if_out")
                .addAttribute(Protos.graphAttr("then_branch", sub))
                .addAttribute(Protos.graphAttr(r.pickOf("else_branch", "elsebranch"), sub)));
    }

    private static void subgraphOnPlainOp(ModelDraft d, Rng r) {
        Onnx.NodeProto.Builder n = anyNode(d, r);
        if (n != null) {
            n.addAttribute(Protos.graphAttr(r.pickOf("body", "then_branch", "alpha"),
                    Onnx.GraphProto.newBuilder().setName("stray").build()));
        }
    }

    /** A long chain of Relu nodes before the output (deep recursion in naive graph walks). */
    private static void manyNodes(ModelDraft d, Rng r) {
        Onnx.GraphProto.Builder g = d.graph();
        if (g.getOutputCount() == 0) {
            return;
        }
        String y = g.getOutput(0).getName();
        int k = r.pickOf(100, 2_000, 20_000);
        for (Onnx.NodeProto.Builder n : g.getNodeBuilderList()) {
            for (int i = 0; i < n.getOutputCount(); i++) {
                if (n.getOutput(i).equals(y)) {
                    n.setOutput(i, "chain_0");
                }
            }
        }
        for (int i = 0; i < k; i++) {
            g.addNode(Protos.node("Relu", "chain" + i, Protos.in("chain_" + i), i == k - 1 ? y : "chain_" + (i + 1)));
        }
    }

    private static void oddNames(ModelDraft d, Rng r) {
        Onnx.NodeProto.Builder n = anyNode(d, r);
        if (n != null && n.getOutputCount() > 0) {
            String odd = r.pickOf("a/b", "../x", "\u00e9\u4e2d", "with space", "x".repeat(5000), "\n", "%s%n");
            String old = n.getOutput(0);
            n.setOutput(0, odd);
            for (Onnx.NodeProto.Builder m : d.graph().getNodeBuilderList()) {
                for (int i = 0; i < m.getInputCount(); i++) {
                    if (m.getInput(i).equals(old)) {
                        m.setInput(i, odd);
                    }
                }
            }
        }
    }
}
