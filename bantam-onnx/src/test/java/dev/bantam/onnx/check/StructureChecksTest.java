package dev.bantam.onnx.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.io.ModelFormatException;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import dev.bantam.onnx.ir.serde.proto.Onnx;
import dev.bantam.onnx.testing.CraftedModels;
import dev.bantam.onnx.testing.HostileModels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules the fuzzer found (issue 10): each with its message and a valid neighbour. */
class StructureChecksTest {

    @Test
    void ifBranchesMustGiveTheNodesOutputs() {
        Onnx.ModelProto.Builder ok = BadModels.ifModel(BadModels.BOOL, true, true);
        assertEquals(List.of(), BadModels.errors(ok));
        Onnx.ModelProto.Builder bad = BadModels.ifModel(BadModels.BOOL, true, true);
        Onnx.NodeProto.Builder n = bad.getGraphBuilder().getNodeBuilder(0);
        n.setAttribute(1, BadModels.graphAttr("else_branch", BadModels.branch("Neg", "X", "E").toBuilder().clearOutput()
                .build()));
        assertEquals(List.of("else_branch gives 0 outputs, the If node has 1"), BadModels.errors(bad));
    }

    @Test
    void theMainGraphNeedsOutputsAndTypedInputs() {
        Onnx.ModelProto.Builder none = CraftedModels.tinyAdd();
        none.getGraphBuilder().clearOutput();
        assertTrue(BadModels.errors(none).contains("the graph has no outputs"), BadModels.errors(none).toString());
        Onnx.ModelProto.Builder untyped = CraftedModels.tinyAdd();
        untyped.getGraphBuilder().setInput(0, Onnx.ValueInfoProto.newBuilder().setName("X"));
        assertEquals(List.of("graph input 'X' has no type"), BadModels.errors(untyped));
        Onnx.ModelProto.Builder noElement = CraftedModels.tinyAdd();
        noElement.getGraphBuilder().setInput(0, Onnx.ValueInfoProto.newBuilder().setName("X")
                .setType(Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder())));
        assertEquals(List.of("graph input 'X' is a tensor with no element type"), BadModels.errors(noElement));
        Onnx.ModelProto.Builder untypedOutput = CraftedModels.tinyAdd();
        untypedOutput.getGraphBuilder().setOutput(0, Onnx.ValueInfoProto.newBuilder().setName("Y"));
        assertEquals(List.of(), BadModels.errors(untypedOutput), "ONNX Runtime infers an output's type");
    }

    @Test
    void aLoopThatNeverEndsIsRefused() {
        assertEquals(List.of("the Loop never ends: it has no trip count and its condition is always true"),
                BadModels.errors(HostileModels.endlessLoop(null, false)));
        assertEquals(List.of("the Loop runs 9223372036854775807 iterations ('M') and its condition is always true: it "
                + "would not end"), BadModels.errors(HostileModels.endlessLoop(Long.MAX_VALUE, false)));
        assertEquals(List.of(), BadModels.errors(HostileModels.endlessLoop(3L, false)), "three iterations end");
        assertEquals(List.of(), BadModels.errors(HostileModels.endlessLoop(1L << 39, false)), "long but finite");
        assertEquals(List.of(), BadModels.errors(HostileModels.endlessLoop(1L, true)), "a trip count fed at run time");
        Onnx.ModelProto.Builder decided = HostileModels.endlessLoop(null, false);
        decided.getGraphBuilder().getNodeBuilder(0).getAttributeBuilder(0).getGBuilder().getNodeBuilder(0)
                .setOpType("Not");
        assertEquals(List.of(), BadModels.errors(decided), "the body computes its condition");
    }

    @Test
    void attributeReferencesOnlyInFunctions() {
        Onnx.ModelProto.Builder m = CraftedModels.tinyAdd();
        m.getGraphBuilder().getNodeBuilder(0).addAttribute(Onnx.AttributeProto.newBuilder().setName("alpha")
                .setRefAttrName("a").setType(Onnx.AttributeProto.AttributeType.FLOAT));
        assertTrue(BadModels.errors(m).contains("attribute 'alpha' refers to a calling node's attribute 'a' outside a "
                + "function body"), BadModels.errors(m).toString());
    }

    @Test
    void twoInitializersOfOneNameAreRefusedOnReading() {
        Onnx.ModelProto.Builder m = CraftedModels.tinyAdd();
        m.getGraphBuilder().addInitializer(CraftedModels.floats("W", 3f, 4f));
        var e = assertThrows(ModelFormatException.class, () -> OnnxSerde.read(m.build().toByteArray()));
        assertEquals("not a valid ONNX model: graph 'tiny' has two initializers named 'W'", e.getMessage());
    }

    @Test
    void twoNodesOfOneNameAreRefused() {
        Onnx.ModelProto.Builder m = CraftedModels.tinyAdd();
        m.getGraphBuilder().getNodeBuilder(0).setOutput(0, "A");
        m.getGraphBuilder().addNode(Onnx.NodeProto.newBuilder().setOpType("Relu").setName("add").addInput("A").addOutput("Y"));
        assertEquals(List.of("node name 'add' is used by more than one node (ONNX Runtime refuses that)"), BadModels.errors(m));
        m.getGraphBuilder().getNodeBuilder(1).setName("relu");
        assertEquals(List.of(), BadModels.errors(m));
    }
}
