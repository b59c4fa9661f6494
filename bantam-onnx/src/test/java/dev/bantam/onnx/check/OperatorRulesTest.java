package dev.bantam.onnx.check;

import static dev.bantam.onnx.check.BadModels.FLOAT;
import static dev.bantam.onnx.check.BadModels.errors;
import static dev.bantam.onnx.check.BadModels.floatAttr;
import static dev.bantam.onnx.check.BadModels.intAttr;
import static dev.bantam.onnx.check.BadModels.onlyError;
import static dev.bantam.onnx.check.BadModels.unary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ir.serde.proto.Onnx;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Nodes checked against the operator table; each bad node has a valid neighbour the checker accepts. */
class OperatorRulesTest {

    @Test
    void unknownOperatorOfTheStandardDomain() {
        assertEquals("unknown operator 'Frobnicate' in domain ai.onnx (opset 17)", onlyError(unary("Frobnicate")).message());
        assertEquals(List.of(), errors(unary("Relu")));
    }

    @Test
    void operatorsOfOtherDomainsAndLocalFunctionsAreNotLookedUp() {
        Onnx.ModelProto.Builder m = unary("Frobnicate").addOpsetImport(BadModels.opset("com.example", 1));
        m.getGraphBuilder().getNodeBuilder(0).setDomain("com.example");
        assertEquals(List.of(), errors(m));
        assertEquals(List.of(), errors(BadModels.functions("Relu")));
    }

    @Test
    void emptyOpType() {
        Issue e = onlyError(unary(""));
        assertEquals("node has no op_type", e.message());
        assertEquals("graph 'g', node 'n'", e.where());
    }

    @Test
    void operatorNewerThanTheImportedOpset() {
        assertEquals("operator Gelu needs ai.onnx opset 20 or later; the model imports opset 17",
                onlyError(unary("Gelu")).message());
        assertEquals(List.of(), errors(unary("Gelu").setOpsetImport(0, BadModels.opset("", 20))));
    }

    @Test
    void deprecatedOperator() {
        Onnx.ModelProto.Builder m = unary("Upsample");
        m.getGraphBuilder().getNodeBuilder(0).addInput("X");
        assertEquals("operator Upsample is deprecated since ai.onnx opset 10; the model imports opset 17",
                onlyError(m).message());
        assertEquals(List.of(), errors(m.setOpsetImport(0, BadModels.opset("", 9))));
    }

    @Test
    void unknownAttribute() {
        assertEquals("unknown attribute 'alpha' for Relu-14", onlyError(unary("Relu", floatAttr("alpha", 1))).message());
        assertEquals(List.of(), errors(unary("LeakyRelu", floatAttr("alpha", 1))));
    }

    @Test
    void attributesOfOpsetsNewerThanTheTableAreNotCalledUnknown() {
        Onnx.ModelProto.Builder m = unary("Relu", floatAttr("alpha", 1)).setOpsetImport(0, BadModels.opset("", 24));
        assertEquals(List.of(), errors(m));
        m = unary("LeakyRelu", intAttr("alpha", 1)).setOpsetImport(0, BadModels.opset("", 24));
        assertEquals(List.of("attribute 'alpha' of LeakyRelu-16 is INT, expected FLOAT"), errors(m));
    }

    @Test
    void attributeOfTheWrongType() {
        assertEquals("attribute 'alpha' of LeakyRelu-16 is INT, expected FLOAT",
                onlyError(unary("LeakyRelu", intAttr("alpha", 1))).message());
    }

    @Test
    void missingRequiredAttribute() {
        assertEquals("Cast-13 needs attribute 'to', which the node lacks", onlyError(unary("Cast")).message());
        assertEquals(List.of(), errors(unary("Cast", intAttr("to", FLOAT))));
    }

    @Test
    void duplicateAttribute() {
        assertEquals("attribute 'alpha' is given more than once",
                onlyError(unary("LeakyRelu", floatAttr("alpha", 0.1f), floatAttr("alpha", 0.2f))).message());
    }

    @Test
    void unnamedAttribute() {
        Onnx.AttributeProto unnamed = floatAttr("alpha", 0.1f).toBuilder().clearName().build();
        assertEquals("an attribute has no name", onlyError(unary("LeakyRelu", unnamed)).message());
    }

    @Test
    void unnamedAndDuplicateAttributesOfOtherDomainsToo() {
        Onnx.ModelProto.Builder m = unary("Custom", floatAttr("a", 1), floatAttr("a", 2))
                .addOpsetImport(BadModels.opset("com.example", 1));
        m.getGraphBuilder().getNodeBuilder(0).setDomain("com.example");
        assertEquals("attribute 'a' is given more than once", onlyError(m).message());
    }

    @Test
    void inputCount() {
        assertEquals("Add-14 takes 2 inputs, the node has 1", onlyError(unary("Add")).message());
        Onnx.ModelProto.Builder m = unary("Add");
        m.getGraphBuilder().getNodeBuilder(0).addInput("X");
        assertEquals(List.of(), errors(m));
    }

    @Test
    void zeroStrideOfConv() {
        assertEquals("attribute 'strides' of Conv-11 holds 0; each value must be at least 1",
                onlyError(BadModels.conv(1, 0)).message());
        assertEquals(List.of(), errors(BadModels.conv(1, 1)));
    }

    @Test
    void negativePadsAndZeroGroupAndBlocksize() {
        Onnx.ModelProto.Builder m = BadModels.conv(1, 1);
        m.getGraphBuilder().getNodeBuilder(0).addAttribute(BadModels.ints("pads", 0, -1, 0, 0))
                .addAttribute(intAttr("group", 0));
        assertEquals(List.of("attribute 'pads' of Conv-11 holds -1; each value must be at least 0",
                "attribute 'group' of Conv-11 holds 0; each value must be at least 1"), errors(m));
        assertEquals("attribute 'blocksize' of DepthToSpace-13 holds 0; each value must be at least 1",
                onlyError(unary("DepthToSpace", intAttr("blocksize", 0))).message());
    }

    @Test
    void padsOfThePadOperatorMayBeNegative() {
        Onnx.ModelProto.Builder m = unary("Pad", BadModels.ints("pads", -1, 1)).setOpsetImport(0, BadModels.opset("", 2));
        assertEquals(List.of(), errors(m));
    }

    @Test
    void zeroKernelOfMaxPool() {
        Onnx.ModelProto.Builder m = unary("MaxPool", BadModels.ints("kernel_shape", 0));
        assertEquals("attribute 'kernel_shape' of MaxPool-12 holds 0; each value must be at least 1",
                onlyError(m).message());
    }

    @Test
    void experimentalOperatorsOnnxRuntimeStillKnows() {
        assertEquals(List.of(), errors(unary("ImageScaler", floatAttr("scale", 2)).setOpsetImport(0, BadModels.opset("", 9))));
        assertTrue(errors(unary("ImageScaler")).isEmpty());
    }

    @Test
    void mlOperatorsByName() {
        Onnx.ModelProto.Builder m = unary("Frobnicate").addOpsetImport(BadModels.opset("ai.onnx.ml", 3));
        m.getGraphBuilder().getNodeBuilder(0).setDomain("ai.onnx.ml");
        assertEquals("unknown operator 'Frobnicate' in domain ai.onnx.ml (opset 3)", onlyError(m).message());
        m.getGraphBuilder().getNodeBuilder(0).setOpType("Normalizer");
        assertEquals(List.of(), errors(m));
    }
}
