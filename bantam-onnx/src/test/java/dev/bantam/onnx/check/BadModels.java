package dev.bantam.onnx.check;

import com.google.protobuf.ByteString;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import dev.bantam.onnx.ir.serde.proto.Onnx;
import dev.bantam.onnx.testing.CraftedModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Models written directly as protobuf that break one rule of the checker each, with the valid model next to
 * each (the same builder with other arguments) that shows the rule does not over-reject.
 */
public final class BadModels {

    public static final int FLOAT = 1;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int BOOL = 9;

    private BadModels() {
    }

    /** The messages of the errors the checker finds in {@code m}, in order. */
    public static List<String> errors(Onnx.ModelProto.Builder m) {
        return ModelChecker.check(OnnxSerde.read(m.build().toByteArray())).errors().stream().map(Issue::message)
                .toList();
    }

    /** The one error the checker finds in {@code m}, with where it is. */
    public static Issue onlyError(Onnx.ModelProto.Builder m) {
        List<Issue> e = ModelChecker.check(OnnxSerde.read(m.build().toByteArray())).errors();
        if (e.size() != 1) {
            throw new AssertionError("expected one error, found " + e);
        }
        return e.getFirst();
    }

    public static Onnx.TypeProto tensorType(int elemType, long... dims) {
        Onnx.TensorShapeProto.Builder s = Onnx.TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(elemType)
                .setShape(s)).build();
    }

    public static Onnx.ValueInfoProto info(String name, int elemType, long... dims) {
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(tensorType(elemType, dims)).build();
    }

    public static Onnx.AttributeProto ints(String name, long... v) {
        Onnx.AttributeProto.Builder b = Onnx.AttributeProto.newBuilder().setName(name)
                .setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    public static Onnx.AttributeProto intAttr(String name, long v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(v)
                .build();
    }

    public static Onnx.AttributeProto floatAttr(String name, float v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(v)
                .build();
    }

    public static Onnx.AttributeProto graphAttr(String name, Onnx.GraphProto g) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(g)
                .build();
    }

    public static Onnx.OperatorSetIdProto opset(String domain, long version) {
        return Onnx.OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version).build();
    }

    /** A model of one graph with ir_version 8 and the default domain at {@code opset}. */
    public static Onnx.ModelProto.Builder model(Onnx.GraphProto.Builder g, long opset) {
        return Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerName("bantam-tests").addOpsetImport(opset("", opset))
                .setGraph(g);
    }

    /** Y = op(X) with X, Y float[2] and the given attributes, at opset 17. */
    public static Onnx.ModelProto.Builder unary(String op, Onnx.AttributeProto... attrs) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName("n").addInput("X").addOutput("Y");
        for (Onnx.AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        return model(Onnx.GraphProto.newBuilder().setName("g").addInput(info("X", FLOAT, 2))
                .addOutput(info("Y", FLOAT, 2)).addNode(n), 17);
    }

    /** Y = Conv(X, W) with X float[1,1,4,4], W float[1,1,2,2] of ones, the given strides, at opset 17. */
    public static Onnx.ModelProto.Builder conv(long... strides) {
        Onnx.TensorProto w = CraftedModels.floats("W", 1, 1, 1, 1).toBuilder().clearDims().addDims(1).addDims(1)
                .addDims(2).addDims(2).build();
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType("Conv").setName("conv").addInput("X")
                .addInput("W").addOutput("Y").addAttribute(ints("kernel_shape", 2, 2)).addAttribute(ints("strides", strides));
        return model(Onnx.GraphProto.newBuilder().setName("g").addInput(info("X", FLOAT, 1, 1, 4, 4))
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName("Y")).addInitializer(w).addNode(n), 17);
    }

    /** Y = If(C) with branches giving X or -X, present as asked; C of element type {@code condType}. */
    public static Onnx.ModelProto.Builder ifModel(int condType, boolean thenBranch, boolean elseBranch) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType("If").setName("if").addInput("C").addOutput("Y");
        if (thenBranch) {
            n.addAttribute(graphAttr("then_branch", branch("Identity", "X", "T")));
        }
        if (elseBranch) {
            n.addAttribute(graphAttr("else_branch", branch("Neg", "X", "E")));
        }
        return model(Onnx.GraphProto.newBuilder().setName("g").addInput(info("C", condType)).addInput(info("X", FLOAT, 2))
                .addOutput(info("Y", FLOAT, 2)).addNode(n), 17);
    }

    /** A branch graph without inputs: out = op(outer). */
    public static Onnx.GraphProto branch(String op, String outer, String out) {
        return Onnx.GraphProto.newBuilder().setName(out).addOutput(info(out, FLOAT, 2))
                .addNode(Onnx.NodeProto.newBuilder().setOpType(op).addInput(outer).addOutput(out)).build();
    }

    /** Y = local.f(X) where f calls {@code fCalls} (Relu for a valid model, f for recursion, g for a mutual cycle). */
    public static Onnx.ModelProto.Builder functions(String fCalls) {
        Onnx.FunctionProto.Builder f = function("f", fCalls);
        Onnx.FunctionProto.Builder g = function("g", "f");
        Onnx.ModelProto.Builder m = model(Onnx.GraphProto.newBuilder().setName("g").addInput(info("X", FLOAT, 2))
                .addOutput(info("Y", FLOAT, 2)).addNode(Onnx.NodeProto.newBuilder().setOpType("f").setDomain("local")
                        .setName("call").addInput("X").addOutput("Y")), 17);
        return m.setIrVersion(10).addOpsetImport(opset("local", 1)).addFunctions(f).addFunctions(g);
    }

    private static Onnx.FunctionProto.Builder function(String name, String calls) {
        boolean local = !calls.equals("Relu");
        return Onnx.FunctionProto.newBuilder().setName(name).setDomain("local").addInput("a").addOutput("b")
                .addOpsetImport(opset("", 17)).addOpsetImport(opset("local", 1))
                .addNode(Onnx.NodeProto.newBuilder().setOpType(calls).setDomain(local ? "local" : "").addInput("a")
                        .addOutput("b"));
    }

    /** Y = X + S with X float[4] and S a sparse initializer of dense shape [4] holding 5.0 at {@code index}. */
    public static Onnx.ModelProto.Builder sparse(long index, long... moreIndices) {
        ByteBuffer idx = ByteBuffer.allocate(8 * (1 + moreIndices.length)).order(ByteOrder.LITTLE_ENDIAN).putLong(index);
        for (long i : moreIndices) {
            idx.putLong(i);
        }
        Onnx.SparseTensorProto s = Onnx.SparseTensorProto.newBuilder().addDims(4)
                .setValues(CraftedModels.floats("S", 5f))
                .setIndices(Onnx.TensorProto.newBuilder().setName("S_indices").setDataType(INT64)
                        .addDims(1 + moreIndices.length).setRawData(ByteString.copyFrom(idx.array())))
                .build();
        return model(Onnx.GraphProto.newBuilder().setName("g").addInput(info("X", FLOAT, 4)).addOutput(info("Y", FLOAT, 4))
                .addSparseInitializer(s).addNode(Onnx.NodeProto.newBuilder().setOpType("Add").setName("add")
                        .addInput("X").addInput("S").addOutput("Y")), 17);
    }

    /** An integer tensor of INT32 or INT64 elements. */
    public static Onnx.TensorProto integers(String name, int elemType, long... v) {
        int width = elemType == INT64 ? 8 : 4;
        ByteBuffer b = ByteBuffer.allocate(width * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            if (width == 8) {
                b.putLong(x);
            } else {
                b.putInt((int) x);
            }
        }
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(elemType).addDims(v.length)
                .setRawData(ByteString.copyFrom(b.array())).build();
    }

    /**
     * Y = op(A, B) over integers of {@code elemType}: B a constant (an initializer) and A a graph input, or also an
     * initializer when {@code dividend} is given.
     */
    public static Onnx.ModelProto.Builder division(String op, int elemType, long[] divisor, long[] dividend) {
        int n = divisor.length;
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("g").addOutput(info("Y", elemType, n))
                .addInitializer(integers("B", elemType, divisor))
                .addNode(Onnx.NodeProto.newBuilder().setOpType(op).setName("div").addInput("A").addInput("B")
                        .addOutput("Y"));
        if (dividend == null) {
            g.addInput(info("A", elemType, n));
        } else {
            g.addInitializer(integers("A", elemType, dividend));
        }
        return model(g, 17);
    }

    /** Y = X + W where W is declared with {@code dims} and data type {@code dataType} and holds {@code bytes}. */
    public static Onnx.ModelProto.Builder initializer(int dataType, byte[] bytes, long... dims) {
        Onnx.TensorProto.Builder w = Onnx.TensorProto.newBuilder().setName("W").setDataType(dataType)
                .setRawData(ByteString.copyFrom(bytes));
        for (long d : dims) {
            w.addDims(d);
        }
        Onnx.ModelProto.Builder m = CraftedModels.tinyAdd();
        m.getGraphBuilder().setInitializer(0, w);
        return m;
    }
}
