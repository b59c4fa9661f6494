package dev.bantam.onnx.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.bantam.onnx.ir.serde.proto.Onnx;
import java.io.ByteArrayOutputStream;

/** Model files built to break a reader or a pass: the regression cases of the hostile-input issue. */
public final class HostileModels {

    /** The field number the raw-data splicer reserves for its marker (the largest legal one). */
    public static final int RESERVED_FIELD = (1 << 29) - 1;

    private HostileModels() {
    }

    /**
     * An If whose then-branch holds an If, {@code levels} deep, encoded by hand (protobuf-java's own serializer
     * recurses and overflows the stack on thousands of levels).
     */
    public static byte[] nestedIfs(int levels) {
        byte[] graph = field(2, "leaf".getBytes());
        for (int i = 0; i < levels; i++) {
            byte[] attr = concat(field(1, "then_branch".getBytes()), varint(20 << 3), new byte[] {5}, field(6, graph));
            byte[] node = concat(field(1, "c".getBytes()), field(2, "o".getBytes()), field(4, "If".getBytes()), field(5, attr));
            graph = field(1, node);
        }
        return concat(new byte[] {8, 8}, field(7, graph),
                Onnx.ModelProto.newBuilder().addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(17)).build().toByteArray());
    }

    /** tinyAdd with a second initializer 'bias' that carries the reserved field with {@code value}. */
    public static Onnx.ModelProto.Builder markerCollision(long value) {
        Onnx.ModelProto.Builder m = CraftedModels.tinyAdd();
        byte[] big = new byte[4096];
        m.getGraphBuilder().setInitializer(0, CraftedModels.floats("W", 1f, 2f).toBuilder()
                .setRawData(ByteString.copyFrom(big, 0, 8)))
                .addInitializer(Onnx.TensorProto.newBuilder().setName("big").setDataType(2).addDims(4096)
                        .setRawData(ByteString.copyFrom(big)))
                .addInitializer(CraftedModels.floats("bias", 1f, 1f).toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(RESERVED_FIELD, UnknownFieldSet.Field.newBuilder().addVarint(value).build()).build()));
        return m;
    }

    /**
     * Y = X + tripCount·W by a Loop carrying the sum, whose condition starts true and is passed through unchanged:
     * with {@code tripCount} null the Loop has no trip count and never ends; with a trip count held in a graph
     * input ("M", int64 scalar) the checker cannot see how long it runs.
     */
    public static Onnx.ModelProto.Builder endlessLoop(Long tripCount, boolean tripCountAsInput) {
        Onnx.ModelProto.Builder m = CraftedModels.tinyAdd();
        Onnx.GraphProto.Builder g = m.getGraphBuilder().clearNode();
        Onnx.TypeProto f2 = g.getInput(0).getType();
        Onnx.GraphProto body = Onnx.GraphProto.newBuilder().setName("body")
                .addInput(value("i", scalar(7))).addInput(value("cond_in", scalar(9))).addInput(value("s_in", f2))
                .addOutput(value("cond_out", scalar(9))).addOutput(value("s_out", f2))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Identity").setName("keep").addInput("cond_in")
                        .addOutput("cond_out"))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Add").setName("step").addInput("s_in").addInput("W")
                        .addOutput("s_out")).build();
        g.addInitializer(Onnx.TensorProto.newBuilder().setName("go").setDataType(9).setRawData(ByteString.copyFrom(new byte[] {1})));
        if (tripCount != null && tripCountAsInput) {
            g.addInput(value("M", scalar(7)));
        } else if (tripCount != null) {
            byte[] b = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(tripCount).array();
            g.addInitializer(Onnx.TensorProto.newBuilder().setName("M").setDataType(7).setRawData(ByteString.copyFrom(b)));
        }
        g.addNode(Onnx.NodeProto.newBuilder().setOpType("Loop").setName("loop").addInput(tripCount == null ? "" : "M")
                .addInput("go").addInput("X").addOutput("Y").addAttribute(Onnx.AttributeProto.newBuilder()
                        .setName("body").setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(body)));
        return m;
    }

    private static Onnx.TypeProto scalar(int elemType) {
        return Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(elemType)
                .setShape(Onnx.TensorShapeProto.newBuilder())).build();
    }

    private static Onnx.ValueInfoProto value(String name, Onnx.TypeProto type) {
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    /** A chain of {@code n} Relu nodes on float[1,16], y = Relu(...Relu(x)). */
    public static Onnx.ModelProto.Builder reluChain(int n) {
        Onnx.ModelProto.Builder m = CraftedModels.tinyAdd();
        Onnx.GraphProto.Builder g = m.getGraphBuilder().clearNode().clearInitializer();
        Onnx.TypeProto t = g.getInput(0).getType().toBuilder().setTensorType(g.getInput(0).getType().getTensorType()
                .toBuilder().setShape(Onnx.TensorShapeProto.newBuilder()
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(16)))).build();
        g.setInput(0, g.getInput(0).toBuilder().setType(t)).setOutput(0, g.getOutput(0).toBuilder().setType(t));
        for (int i = 0; i < n; i++) {
            g.addNode(Onnx.NodeProto.newBuilder().setOpType("Relu").setName("r" + i)
                    .addInput(i == 0 ? "X" : "v" + (i - 1)).addOutput(i == n - 1 ? "Y" : "v" + i));
        }
        return m;
    }

    private static byte[] field(int number, byte[] payload) {
        return concat(varint(((long) number << 3) | 2), varint(payload.length), payload);
    }

    private static byte[] varint(long v) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while ((v & ~0x7fL) != 0) {
            b.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        b.write((int) v);
        return b.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
