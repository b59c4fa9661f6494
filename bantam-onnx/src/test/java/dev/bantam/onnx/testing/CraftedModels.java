package dev.bantam.onnx.testing;

import com.google.protobuf.ByteString;
import dev.bantam.onnx.ir.serde.proto.Onnx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Small model files written directly as protobuf, including malformed ones the IR cannot express: for
 * tests of loading, checking and the CLI's error messages.
 */
public final class CraftedModels {

    private CraftedModels() {
    }

    /** Y = X + W with X, W, Y float[2]; W = [1, 2] as an initializer. */
    public static Onnx.ModelProto.Builder tinyAdd() {
        Onnx.TypeProto f2 = Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                .setElemType(1).setShape(Onnx.TensorShapeProto.newBuilder()
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(2)))).build();
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("tiny")
                .addInput(Onnx.ValueInfoProto.newBuilder().setName("X").setType(f2))
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName("Y").setType(f2))
                .addInitializer(floats("W", 1f, 2f))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Add").setName("add").addInput("X").addInput("W")
                        .addOutput("Y"));
        return Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerName("bantam-tests")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(g);
    }

    public static Onnx.TensorProto floats(String name, float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(1).addDims(v.length)
                .setRawData(ByteString.copyFrom(b.array())).build();
    }

    /** tinyAdd with W stored externally at {@code location}, offset and length as given (null = omitted). */
    public static Onnx.ModelProto.Builder withExternalW(String location, Long offset, Long length) {
        Onnx.ModelProto.Builder m = tinyAdd();
        Onnx.TensorProto.Builder w = Onnx.TensorProto.newBuilder().setName("W").setDataType(1).addDims(2)
                .setDataLocation(Onnx.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location));
        if (offset != null) {
            w.addExternalData(entry("offset", offset.toString()));
        }
        if (length != null) {
            w.addExternalData(entry("length", length.toString()));
        }
        m.getGraphBuilder().setInitializer(0, w);
        return m;
    }

    /** A = Add(X, B); B = Relu(A): a cycle. */
    public static Onnx.ModelProto.Builder cycle() {
        Onnx.ModelProto.Builder m = tinyAdd();
        Onnx.GraphProto.Builder g = m.getGraphBuilder().clearNode();
        g.addNode(Onnx.NodeProto.newBuilder().setOpType("Add").setName("add").addInput("X").addInput("B").addOutput("Y"));
        g.addNode(Onnx.NodeProto.newBuilder().setOpType("Relu").setName("relu").addInput("Y").addOutput("B"));
        return m;
    }

    /** W declared float[3] but holding 2 floats. */
    public static Onnx.ModelProto.Builder sizeMismatch() {
        Onnx.ModelProto.Builder m = tinyAdd();
        m.getGraphBuilder().setInitializer(0, floats("W", 1f, 2f).toBuilder().setDims(0, 3));
        return m;
    }

    public static Onnx.StringStringEntryProto entry(String k, String v) {
        return Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    public static Path write(Onnx.ModelProto.Builder m, Path file) throws IOException {
        Files.write(file, m.build().toByteArray());
        return file;
    }
}
