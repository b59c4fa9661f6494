package dev.bantam.bench.fuzz;

import static dev.bantam.bench.fuzz.Protos.BOOL;
import static dev.bantam.bench.fuzz.Protos.FLOAT;
import static dev.bantam.bench.fuzz.Protos.INT64;
import static dev.bantam.bench.fuzz.Protos.in;
import static dev.bantam.bench.fuzz.Protos.node;

import dev.bantam.onnx.ir.serde.proto.Onnx;
import java.util.List;
import java.util.function.Function;

/**
 * The valid small models mutations start from: chains of standard operators, control flow with subgraphs, a
 * model-local function, Constant nodes and a sparse initializer. Each passes the checker and runs in ONNX Runtime.
 */
final class SeedModels {

    record Seed(String name, Function<Rng, Onnx.ModelProto.Builder> build) {
    }

    static final List<Seed> ALL = List.of(
            new Seed("add-chain", SeedModels::addChain),
            new Seed("conv-gemm", SeedModels::convGemm),
            new Seed("matmul-concat", SeedModels::matmulConcat),
            new Seed("if", SeedModels::ifModel),
            new Seed("loop", SeedModels::loopModel),
            new Seed("function", SeedModels::functionModel),
            new Seed("constant-reshape", SeedModels::constantReshape),
            new Seed("sparse", SeedModels::sparseModel));

    private SeedModels() {
    }

    /** Y = Relu(X + A) * B, all float[1, 4]. */
    static Onnx.ModelProto.Builder addChain(Rng r) {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("add_chain")
                .addInput(Protos.value("X", FLOAT, 1, 4)).addOutput(Protos.value("Y", FLOAT, 1, 4))
                .addInitializer(Protos.floats("A", r, 1, 4)).addInitializer(Protos.floats("B", r, 1, 4))
                .addNode(node("Add", "add", in("X", "A"), "s"))
                .addNode(node("Relu", "relu", in("s"), "t"))
                .addNode(node("Mul", "mul", in("t", "B"), "Y"));
        return Protos.model(g, 17);
    }

    /** Conv 3x3 (pads 1) → Relu → Reshape [1, 128] → Gemm to [1, 4]; X float[1, 1, 8, 8]. */
    static Onnx.ModelProto.Builder convGemm(Rng r) {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("conv_gemm")
                .addInput(Protos.value("X", FLOAT, 1, 1, 8, 8)).addOutput(Protos.value("Y", FLOAT, 1, 4))
                .addInitializer(Protos.floats("W", r, 2, 1, 3, 3)).addInitializer(Protos.floats("Wb", r, 2))
                .addInitializer(Protos.int64s("shape", 1, 128))
                .addInitializer(Protos.floats("G", r, 128, 4)).addInitializer(Protos.floats("Gb", r, 4))
                .addNode(node("Conv", "conv", in("X", "W", "Wb"), "c")
                        .addAttribute(Protos.ints("kernel_shape", 3, 3)).addAttribute(Protos.ints("pads", 1, 1, 1, 1)))
                .addNode(node("Relu", "relu", in("c"), "a"))
                .addNode(node("Reshape", "flatten", in("a", "shape"), "f"))
                .addNode(node("Gemm", "fc", in("f", "G", "Gb"), "Y").addAttribute(Protos.floatAttr("alpha", 1f)));
        return Protos.model(g, 17);
    }

    /** Y = Concat(Softmax(X·W + b), X) on axis 1; X float[1, 16], W [16, 16]. */
    static Onnx.ModelProto.Builder matmulConcat(Rng r) {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("matmul_concat")
                .addInput(Protos.value("X", FLOAT, 1, 16)).addOutput(Protos.value("Y", FLOAT, 1, 32))
                .addInitializer(Protos.floats("W", r, 16, 16)).addInitializer(Protos.floats("b", r, 16))
                .addNode(node("MatMul", "mm", in("X", "W"), "m"))
                .addNode(node("Add", "bias", in("m", "b"), "s"))
                .addNode(node("Softmax", "softmax", in("s"), "p").addAttribute(Protos.intAttr("axis", -1)))
                .addNode(node("Concat", "concat", in("p", "X"), "Y").addAttribute(Protos.intAttr("axis", 1)));
        return Protos.model(g, 17);
    }

    /** Y = If(C) then X + W else Relu(X); both branches read X from the outer graph. */
    static Onnx.ModelProto.Builder ifModel(Rng r) {
        Onnx.GraphProto then = Onnx.GraphProto.newBuilder().setName("then")
                .addOutput(Protos.value("t", FLOAT, 1, 4))
                .addNode(node("Add", "then_add", in("X", "W"), "t")).build();
        Onnx.GraphProto otherwise = Onnx.GraphProto.newBuilder().setName("else")
                .addOutput(Protos.value("e", FLOAT, 1, 4))
                .addNode(node("Relu", "else_relu", in("X"), "e")).build();
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("if_model")
                .addInput(Protos.value("X", FLOAT, 1, 4)).addInput(Protos.value("C", BOOL))
                .addOutput(Protos.value("Y", FLOAT, 1, 4))
                .addInitializer(Protos.floats("W", r, 1, 4))
                .addNode(node("If", "if", in("C"), "Y").addAttribute(Protos.graphAttr("then_branch", then))
                        .addAttribute(Protos.graphAttr("else_branch", otherwise)));
        return Protos.model(g, 17);
    }

    /** Y = X + 3·W by a Loop of three iterations carrying the sum. */
    static Onnx.ModelProto.Builder loopModel(Rng r) {
        Onnx.GraphProto body = Onnx.GraphProto.newBuilder().setName("body")
                .addInput(Protos.value("i", INT64)).addInput(Protos.value("cond_in", BOOL))
                .addInput(Protos.value("s_in", FLOAT, 1, 4))
                .addOutput(Protos.value("cond_out", BOOL)).addOutput(Protos.value("s_out", FLOAT, 1, 4))
                .addNode(node("Identity", "keep_going", in("cond_in"), "cond_out"))
                .addNode(node("Add", "step", in("s_in", "W"), "s_out")).build();
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("loop_model")
                .addInput(Protos.value("X", FLOAT, 1, 4)).addOutput(Protos.value("Y", FLOAT, 1, 4))
                .addInitializer(Protos.floats("W", r, 1, 4)).addInitializer(Protos.scalarInt64("M", 3))
                .addInitializer(Protos.scalarBool("go", true))
                .addNode(node("Loop", "loop", in("M", "go", "X"), "Y").addAttribute(Protos.graphAttr("body", body)));
        return Protos.model(g, 17);
    }

    /** Y = local.AddRelu(X, W), a model-local function of Add then Relu. */
    static Onnx.ModelProto.Builder functionModel(Rng r) {
        Onnx.FunctionProto f = Onnx.FunctionProto.newBuilder().setName("AddRelu").setDomain("local")
                .addInput("a").addInput("b").addOutput("o").addOpsetImport(Protos.opset("", 17))
                .addNode(node("Add", "f_add", in("a", "b"), "t"))
                .addNode(node("Relu", "f_relu", in("t"), "o")).build();
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("function_model")
                .addInput(Protos.value("X", FLOAT, 1, 4)).addOutput(Protos.value("Y", FLOAT, 1, 4))
                .addInitializer(Protos.floats("W", r, 1, 4))
                .addNode(node("AddRelu", "call", in("X", "W"), "Y").setDomain("local"));
        return Protos.model(g, 17).addOpsetImport(Protos.opset("local", 1)).addFunctions(f);
    }

    /** Y = Reshape(X + c, shape) with c and shape from Constant nodes; X float[2, 3]. */
    static Onnx.ModelProto.Builder constantReshape(Rng r) {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("constant_reshape")
                .addInput(Protos.value("X", FLOAT, 2, 3)).addOutput(Protos.value("Y", FLOAT, 3, 2))
                .addNode(node("Constant", "c", in(), "c").addAttribute(Protos.tensorAttr("value",
                        Protos.floats("c_value", r, 2, 3))))
                .addNode(node("Constant", "shape", in(), "shape").addAttribute(Protos.tensorAttr("value",
                        Protos.int64s("shape_value", 3, 2))))
                .addNode(node("Add", "add", in("X", "c"), "s"))
                .addNode(node("Reshape", "reshape", in("s", "shape"), "Y"));
        return Protos.model(g, 17);
    }

    /** Y = X · S with S a sparse float[4, 4] initializer of three values. */
    static Onnx.ModelProto.Builder sparseModel(Rng r) {
        Onnx.SparseTensorProto s = Onnx.SparseTensorProto.newBuilder().addDims(4).addDims(4)
                .setValues(Protos.floats("S", r, 3)).setIndices(Protos.int64s("S_indices", 0, 5, 15)).build();
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("sparse_model")
                .addInput(Protos.value("X", FLOAT, 1, 4)).addOutput(Protos.value("Y", FLOAT, 1, 4))
                .addSparseInitializer(s)
                .addNode(node("MatMul", "mm", in("X", "S"), "Y"));
        return Protos.model(g, 17);
    }
}
