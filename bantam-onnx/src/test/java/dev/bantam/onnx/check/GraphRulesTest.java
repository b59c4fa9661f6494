package dev.bantam.onnx.check;

import static dev.bantam.onnx.check.BadModels.BOOL;
import static dev.bantam.onnx.check.BadModels.INT32;
import static dev.bantam.onnx.check.BadModels.INT64;
import static dev.bantam.onnx.check.BadModels.errors;
import static dev.bantam.onnx.check.BadModels.onlyError;
import static dev.bantam.onnx.check.BadModels.opset;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.ir.serde.proto.Onnx;
import dev.bantam.onnx.testing.CraftedModels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules about the model and its graphs; each bad model has a valid neighbour the checker accepts. */
class GraphRulesTest {

    @Test
    void nodeReadingItsOwnOutput() {
        Onnx.ModelProto.Builder m = CraftedModels.tinyAdd();
        m.getGraphBuilder().getNodeBuilder(0).setInput(1, "Y");
        assertEquals("node reads its own output 'Y'", onlyError(m).message());
        assertEquals(List.of(), errors(CraftedModels.tinyAdd()));
    }

    @Test
    void subgraphReadingTheOutputOfItsOwnNode() {
        Onnx.ModelProto.Builder m = BadModels.ifModel(BOOL, true, true);
        m.getGraphBuilder().getNodeBuilder(0).setAttribute(0, BadModels.graphAttr("then_branch",
                BadModels.branch("Identity", "Y", "T")));
        Issue e = onlyError(m);
        assertEquals("subgraph reads 'Y', an output of the node 'if' that holds it", e.message());
        assertEquals("graph 'g', node 'if', subgraph 'then_branch', node 'Identity producing 'T''", e.where());
    }

    @Test
    void irVersion() {
        assertEquals("ir_version 0 is not a valid IR version (they start at 1)",
                onlyError(CraftedModels.tinyAdd().setIrVersion(0)).message());
        assertEquals("ir_version -3 is not a valid IR version (they start at 1)",
                onlyError(CraftedModels.tinyAdd().setIrVersion(-3)).message());
        assertEquals("ir_version is missing", onlyError(CraftedModels.tinyAdd().clearIrVersion()).message());
        assertEquals("ir_version 14 is newer than the newest supported, 13",
                onlyError(CraftedModels.tinyAdd().setIrVersion(14)).message());
        assertEquals(List.of(), errors(CraftedModels.tinyAdd().setIrVersion(13)));
        assertEquals(List.of(), errors(CraftedModels.tinyAdd().setIrVersion(3)));
    }

    @Test
    void opsetVersionZeroOrNewerThanKnown() {
        List<String> zero = errors(CraftedModels.tinyAdd().setOpsetImport(0, opset("", 0)));
        assertEquals("opset import of domain ai.onnx has version 0; versions start at 1", zero.getFirst());
        assertEquals("opset import of domain ai.onnx has version 26, newer than the newest supported, 25",
                onlyError(CraftedModels.tinyAdd().setOpsetImport(0, opset("", 26))).message());
        assertEquals("opset import of domain ai.onnx.ml has version 6, newer than the newest supported, 5",
                onlyError(CraftedModels.tinyAdd().addOpsetImport(opset("ai.onnx.ml", 6))).message());
        assertEquals(List.of(), errors(CraftedModels.tinyAdd().setOpsetImport(0, opset("", 25))
                .addOpsetImport(opset("ai.onnx.ml", 5))));
    }

    @Test
    void domainImportedTwice() {
        assertEquals("domain ai.onnx is imported more than once (versions 17 and 13)",
                onlyError(CraftedModels.tinyAdd().addOpsetImport(opset("ai.onnx", 13))).message());
        assertEquals("domain com.example is imported more than once (versions 1 and 1)",
                onlyError(CraftedModels.tinyAdd().addOpsetImport(opset("com.example", 1))
                        .addOpsetImport(opset("com.example", 1))).message());
        assertEquals(List.of(), errors(CraftedModels.tinyAdd().addOpsetImport(opset("ai.onnx.ml", 3))));
    }

    @Test
    void ifWithoutBothBranches() {
        assertEquals("If-16 needs attribute 'else_branch', which the node lacks",
                onlyError(BadModels.ifModel(BOOL, true, false)).message());
        assertEquals("If-16 needs attribute 'then_branch', which the node lacks",
                onlyError(BadModels.ifModel(BOOL, false, true)).message());
        assertEquals(List.of(), errors(BadModels.ifModel(BOOL, true, true)));
    }

    @Test
    void ifConditionOfKnownNonBoolType() {
        assertEquals("condition 'C' of If is INT64, not BOOL", onlyError(BadModels.ifModel(INT64, true, true)).message());
    }

    @Test
    void subgraphReadingAValueNoEnclosingGraphDefines() {
        Onnx.ModelProto.Builder m = BadModels.ifModel(BOOL, true, true);
        m.getGraphBuilder().getNodeBuilder(0).setAttribute(1, BadModels.graphAttr("else_branch",
                BadModels.branch("Neg", "ghost", "E")));
        Issue e = onlyError(m);
        assertEquals("input 'ghost' is not defined by any node, graph input or initializer of this graph or an "
                + "enclosing one", e.message());
        assertEquals("graph 'g', node 'if', subgraph 'else_branch', node 'Neg producing 'E''", e.where());
    }

    @Test
    void subgraphReadingAValueOfASiblingSubgraph() {
        Graph g = new Graph("g");
        Value c = new Value("c", ValueType.tensor(DataType.BOOL, Shape.of()));
        Value x = new Value("x", ValueType.tensor(DataType.FLOAT, Shape.of(2)));
        g.addInput(c);
        g.addInput(x);
        Graph thenG = new Graph("then");
        Node t = thenG.append(Node.of("Neg", List.of(x), List.of("t")));
        thenG.addOutput(t.output(0));
        Graph elseG = new Graph("else");
        Node e = elseG.append(Node.of("Identity", List.of(t.output(0)), List.of("e")));
        elseG.addOutput(e.output(0));
        Node n = g.append(Node.of("If", List.of(c), List.of("y"), Attribute.of("then_branch",
                new dev.bantam.onnx.ir.AttributeValue.GraphValue(thenG)), Attribute.of("else_branch",
                new dev.bantam.onnx.ir.AttributeValue.GraphValue(elseG))));
        g.addOutput(n.output(0));
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", 17));
        List<Issue> errors = ModelChecker.check(m).errors();
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("input 't' is defined in another graph, which does not enclose this one",
                errors.getFirst().message());
    }

    @Test
    void functionCallingItself() {
        assertEquals("function 'f' calls itself", onlyError(BadModels.functions("f")).message());
        assertEquals(List.of(), errors(BadModels.functions("Relu")));
    }

    @Test
    void functionsCallingEachOther() {
        Issue e = onlyError(BadModels.functions("g"));
        assertEquals("functions 'f' -> 'g' -> 'f' call each other in a cycle", e.message());
        assertEquals("function 'f'", e.where());
    }

    @Test
    void longChainOfFunctionCallsIsNoCycleAndNoStackOverflow() {
        Onnx.ModelProto.Builder m = BadModels.functions("Relu").clearFunctions();
        int n = 5_000;
        for (int i = 0; i < n; i++) {
            boolean last = i == n - 1;
            m.addFunctions(Onnx.FunctionProto.newBuilder().setName(i == 0 ? "f" : "f" + i).setDomain("local")
                    .addInput("a").addOutput("b").addOpsetImport(opset("", 17)).addOpsetImport(opset("local", 1))
                    .addNode(Onnx.NodeProto.newBuilder().setOpType(last ? "Relu" : "f" + (i + 1))
                            .setDomain(last ? "" : "local").addInput("a").addOutput("b")));
        }
        assertEquals(List.of(), errors(m));
        m.getFunctionsBuilder(n - 1).getNodeBuilder(0).setOpType("f").setDomain("local");
        assertEquals("functions 'f' -> 'f1' -> 'f2' -> ... -> 'f4999' -> 'f' call each other in a cycle of 5000",
                onlyError(m).message());
    }

    @Test
    void sparseInitializerIndexOutsideItsShape() {
        assertEquals("sparse tensor index 4 of value 0 lies outside the dense shape [4]",
                onlyError(BadModels.sparse(4)).message());
        assertEquals("sparse tensor index -1 of value 0 lies outside the dense shape [4]",
                onlyError(BadModels.sparse(-1)).message());
        assertEquals(List.of(), errors(BadModels.sparse(3)));
    }

    @Test
    void sparseInitializerWithMoreIndicesThanValues() {
        Issue e = onlyError(BadModels.sparse(1, 2));
        assertEquals("sparse tensor has 1 values but indices of shape [2]; expected [1] or [1, 1]", e.message());
        assertEquals("graph 'g', sparse initializer 'S'", e.where());
    }

    @Test
    void integerDivisionByAConstantZero() {
        assertEquals("integer Div by the constant 'B', which holds 0: division by zero",
                onlyError(BadModels.division("Div", INT64, new long[] {2, 0}, null)).message());
        assertEquals("integer Mod by the constant 'B', which holds 0: division by zero",
                onlyError(BadModels.division("Mod", INT32, new long[] {0, 3}, null)).message());
        assertEquals(List.of(), errors(BadModels.division("Div", INT64, new long[] {2, 3}, null)));
        Onnx.ModelProto.Builder fmod = BadModels.division("Mod", INT32, new long[] {0, 3}, null);
        fmod.getGraphBuilder().getNodeBuilder(0).addAttribute(BadModels.intAttr("fmod", 1));
        assertEquals(List.of(), errors(fmod));
    }

    @Test
    void integerDivisionByAZeroFromAConstantNode() {
        Graph g = new Graph("g");
        Value a = new Value("a", ValueType.tensor(DataType.INT64, Shape.of(1)));
        g.addInput(a);
        Node zero = g.append(Node.of("Constant", List.of(), List.of("zero"), Attribute.ofInts("value_ints", 0)));
        Node div = g.append(Node.of("Div", List.of(a, zero.output(0)), List.of("y")));
        g.addOutput(div.output(0));
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", 17));
        assertEquals(List.of("integer Div by the constant 'zero', which holds 0: division by zero"),
                ModelChecker.check(m).errors().stream().map(Issue::message).toList());
    }

    @Test
    void integerMinimumDividedByMinusOne() {
        assertEquals("integer Div of the constant 'A', which holds INT64_MIN, by the constant 'B', which holds -1 "
                + "there: the quotient overflows", onlyError(BadModels.division("Div", INT64, new long[] {-1, 1},
                new long[] {Long.MIN_VALUE, 5})).message());
        assertEquals("integer Mod of the constant 'A', which holds INT32_MIN, by the constant 'B', which holds -1 "
                + "there: the quotient overflows", onlyError(BadModels.division("Mod", INT32, new long[] {-1, 1},
                new long[] {Integer.MIN_VALUE, 5})).message());
        assertEquals(List.of(), errors(BadModels.division("Div", INT64, new long[] {-1, 1},
                new long[] {5, Long.MIN_VALUE})));
        assertEquals(List.of(), errors(BadModels.division("Div", INT64, new long[] {-1, 1},
                new long[] {Integer.MIN_VALUE, 5})));
    }

    @Test
    void tensorWhoseByteCountOverflows() {
        assertEquals("tensor shape [4611686018427387904] of FLOAT needs more bytes than a 64-bit count can hold",
                onlyError(BadModels.initializer(BadModels.FLOAT, new byte[0], 1L << 62)).message());
        assertEquals("tensor shape [4611686018427387904, 4] of FLOAT needs more bytes than a 64-bit count can hold",
                onlyError(BadModels.initializer(BadModels.FLOAT, new byte[0], 1L << 62, 4)).message());
        assertEquals(List.of(), errors(BadModels.initializer(BadModels.FLOAT, new byte[8], 2)));
    }

    @Test
    void tensorOfUndefinedType() {
        Issue e = onlyError(BadModels.initializer(0, new byte[8], 2));
        assertEquals("tensor has no data type (data_type 0, UNDEFINED)", e.message());
        assertEquals("graph 'tiny', initializer 'W'", e.where());
    }

    @Test
    void unnamedThingsAreCalledUnnamedNeverNull() {
        Onnx.ModelProto.Builder m = BadModels.initializer(0, new byte[8], 2);
        m.getGraphBuilder().clearName();
        assertEquals("graph (unnamed), initializer 'W'", onlyError(m).where());
    }
}
