package dev.bantam.onnx.check;

import static dev.bantam.onnx.check.BadModels.BOOL;
import static dev.bantam.onnx.check.BadModels.INT64;
import static dev.bantam.onnx.check.BadModels.floatAttr;
import static dev.bantam.onnx.check.BadModels.intAttr;
import static dev.bantam.onnx.check.BadModels.opset;
import static dev.bantam.onnx.check.BadModels.unary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.bantam.onnx.ir.serde.proto.Onnx;
import dev.bantam.onnx.testing.CraftedModels;
import dev.bantam.onnx.testing.Ort;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checker's rules against ONNX Runtime itself: every broken model here that ONNX Runtime can be shown
 * without harm is refused by both, and every valid neighbour is accepted by both.
 *
 * <p>Left out because they kill the process that loads them (tried by hand in a separate JVM with ONNX Runtime
 * 1.24.1): Conv with a stride of 0 and integer division of constants by 0 or of MIN by -1 (SIGFPE while the
 * session is created), a local function calling itself or two calling each other (SIGSEGV), a sparse
 * initializer index far outside its shape (SIGSEGV; one just outside is accepted and writes past the buffer).
 * The checker is stricter than ONNX Runtime, which accepts them, for ir_version 0 or below, a domain imported
 * twice, and a sparse initializer with more indices than values.
 */
class OnnxRuntimeAgreementTest {

    static Stream<Arguments> refusedByBoth() {
        return Stream.<Supplier<Onnx.ModelProto.Builder>>of(
                () -> unary("Frobnicate"),
                () -> unary(""),
                () -> unary("Gelu"),
                () -> {
                    Onnx.ModelProto.Builder m = unary("Upsample");
                    m.getGraphBuilder().getNodeBuilder(0).addInput("X");
                    return m;
                },
                () -> unary("Relu", floatAttr("alpha", 1)),
                () -> unary("LeakyRelu", intAttr("alpha", 1)),
                () -> unary("Cast"),
                () -> unary("LeakyRelu", floatAttr("alpha", 0.1f), floatAttr("alpha", 0.2f)),
                () -> unary("LeakyRelu", floatAttr("alpha", 0.1f).toBuilder().clearName().build()),
                () -> unary("Add"),
                () -> {
                    Onnx.ModelProto.Builder m = CraftedModels.tinyAdd();
                    m.getGraphBuilder().getNodeBuilder(0).setInput(1, "Y");
                    return m;
                },
                () -> {
                    Onnx.ModelProto.Builder m = BadModels.ifModel(BOOL, true, true);
                    m.getGraphBuilder().getNodeBuilder(0).setAttribute(0, BadModels.graphAttr("then_branch",
                            BadModels.branch("Identity", "Y", "T")));
                    return m;
                },
                () -> CraftedModels.tinyAdd().clearIrVersion(),
                () -> CraftedModels.tinyAdd().setIrVersion(14),
                () -> CraftedModels.tinyAdd().setOpsetImport(0, opset("", 0)),
                () -> CraftedModels.tinyAdd().setOpsetImport(0, opset("", 26)),
                () -> CraftedModels.tinyAdd().addOpsetImport(opset("ai.onnx.ml", 6)),
                () -> BadModels.ifModel(BOOL, true, false),
                () -> BadModels.ifModel(INT64, true, true),
                () -> {
                    Onnx.ModelProto.Builder m = BadModels.ifModel(BOOL, true, true);
                    m.getGraphBuilder().getNodeBuilder(0).setAttribute(1, BadModels.graphAttr("else_branch",
                            BadModels.branch("Neg", "ghost", "E")));
                    return m;
                },
                () -> BadModels.initializer(0, new byte[8], 2),
                () -> BadModels.initializer(BadModels.FLOAT, new byte[0], 1L << 62)
        ).map(s -> Arguments.of(s.get()));
    }

    static Stream<Arguments> acceptedByBoth() {
        return Stream.<Supplier<Onnx.ModelProto.Builder>>of(
                () -> unary("Relu"),
                () -> unary("Gelu").setOpsetImport(0, opset("", 20)),
                () -> unary("LeakyRelu", floatAttr("alpha", 1)),
                () -> unary("Cast", intAttr("to", BadModels.FLOAT)),
                () -> unary("Pad", BadModels.ints("pads", -1, 1)).setOpsetImport(0, opset("", 2)),
                () -> CraftedModels.tinyAdd(),
                () -> CraftedModels.tinyAdd().setIrVersion(13),
                () -> CraftedModels.tinyAdd().setOpsetImport(0, opset("", 25)).addOpsetImport(opset("ai.onnx.ml", 5)),
                () -> BadModels.conv(1, 1),
                () -> BadModels.ifModel(BOOL, true, true),
                () -> BadModels.functions("Relu"),
                () -> BadModels.sparse(3),
                () -> BadModels.division("Div", INT64, new long[] {2, 3}, null),
                () -> BadModels.division("Div", INT64, new long[] {-1, 1}, new long[] {5, Long.MIN_VALUE})
        ).map(s -> Arguments.of(s.get()));
    }

    @ParameterizedTest(name = "model {index}")
    @MethodSource("refusedByBoth")
    void refusedByBoth(Onnx.ModelProto.Builder m) {
        assertFalse(BadModels.errors(m).isEmpty(), "the checker accepts it");
        assertThrows(OrtException.class, () -> session(m), "ONNX Runtime accepts it");
    }

    @ParameterizedTest(name = "model {index}")
    @MethodSource("acceptedByBoth")
    void acceptedByBoth(Onnx.ModelProto.Builder m) throws OrtException {
        assertEquals(List.of(), BadModels.errors(m));
        session(m);
    }

    private static void session(Onnx.ModelProto.Builder m) throws OrtException {
        try (OrtSession.SessionOptions o = Ort.options();
             OrtSession s = Ort.env().createSession(m.build().toByteArray(), o)) {
            assertFalse(s.getInputNames().isEmpty() && s.getOutputNames().isEmpty());
        }
    }
}
