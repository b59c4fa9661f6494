package dev.bantam.onnx.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.TensorData;
import dev.bantam.onnx.testing.Ort;
import dev.bantam.onnx.testing.RealModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MiniLM with its weights in an external file: saves, reloads lazily, and runs with identical outputs. */
class ExternalDataTest {

    @Test
    void miniLmSavedWithExternalDataRunsIdentically(@TempDir Path dir) throws Exception {
        RealModels.Case c = RealModels.minilm(dir);
        Model m = ModelIO.load(c.model());
        Path ext = dir.resolve("ext/minilm.onnx");
        SaveResult r = ModelIO.save(m, ext, SaveOptions.external("minilm.weights", 1024));
        assertTrue(r.modelBytes() < 1_000_000, "model file holds only the graph: " + r.modelBytes());
        assertTrue(r.externalBytes() > 85_000_000, "weights went out: " + r.externalBytes());
        assertEquals(dir.resolve("ext/minilm.weights"), r.externalData());
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(ext)),
                "outputs are readable like any file, not owner-only like a temporary file");

        Model reloaded = ModelIO.load(ext);
        long external = reloaded.tensorsRecursive().stream().filter(Tensor::isExternal).count();
        assertEquals(r.externalTensors(), external);
        for (Tensor t : reloaded.tensorsRecursive()) {
            if (t.data() instanceof TensorData.External e) {
                assertFalse(((MappedFile) e.location().source()).isMapped(), "loading reads no tensor bytes");
            }
        }
        Map<String, Ort.Output> want = Ort.run(c.model(), c.inputs());
        Map<String, Ort.Output> got = Ort.run(ext, c.inputs());
        assertTrue(want.get("last_hidden_state").sameAs(got.get("last_hidden_state")));

        // KEEP mode carries external weights along to a new folder; INLINE brings them back.
        Path moved = dir.resolve("moved/m.onnx");
        SaveResult kept = ModelIO.save(reloaded, moved);
        assertEquals(dir.resolve("moved/m.onnx.data"), kept.externalData());
        Path inline = dir.resolve("inline.onnx");
        SaveResult in = ModelIO.save(ModelIO.load(moved), inline, SaveOptions.inline());
        assertEquals(null, in.externalData());
        assertTrue(Ort.run(inline, c.inputs()).get("last_hidden_state").sameAs(want.get("last_hidden_state")));
        assertEquals(Files.size(c.model()), Files.size(inline), "inline again: the original size");
    }

    /** ONNX Runtime reads a Reshape's shape while it loads the model and cannot take it from the external file. */
    @Test
    void shapesStayInlineSoOnnxRuntimeLoadsTheModel(@TempDir Path dir) throws Exception {
        var proto = dev.bantam.onnx.testing.CraftedModels.tinyAdd();
        var g = proto.getGraphBuilder();
        g.getNodeBuilder(0).setOutput(0, "sum");
        g.addInitializer(dev.bantam.onnx.ir.serde.proto.Onnx.TensorProto.newBuilder().setName("shape").setDataType(7)
                .addDims(2).addInt64Data(2).addInt64Data(1));
        g.addNode(dev.bantam.onnx.ir.serde.proto.Onnx.NodeProto.newBuilder().setOpType("Reshape").setName("reshape")
                .addInput("sum").addInput("shape").addOutput("Y"));
        g.setOutput(0, dev.bantam.onnx.ir.serde.proto.Onnx.ValueInfoProto.newBuilder().setName("Y"));
        Path in = dir.resolve("in.onnx");
        Files.write(in, proto.build().toByteArray());
        Path out = dir.resolve("out/m.onnx");
        SaveResult r = ModelIO.save(ModelIO.load(in), out, SaveOptions.external("m.bin", 0));
        assertEquals(1, r.externalTensors(), "W goes out, the shape stays");
        Model saved = ModelIO.load(out);
        assertFalse(saved.graph().initializer("shape").initializer().isExternal());
        assertTrue(saved.graph().initializer("W").initializer().isExternal());
        Map<String, Tensor> x = Map.of("X", Tensor.ofFloats("X", new float[] {1, 1}, 2));
        assertTrue(Ort.run(in, x).get("Y").sameAs(Ort.run(out, x).get("Y")));
    }

    /**
     * Fuzzing: ONNX Runtime 1.23 aborts the process (std::bad_function_call) running a model whose empty tensor is
     * external data of length 0; with nothing to place, empty tensors stay inline.
     */
    @Test
    void emptyTensorsStayInline(@TempDir Path dir) throws Exception {
        var proto = dev.bantam.onnx.testing.CraftedModels.tinyAdd();
        var g = proto.getGraphBuilder();
        g.getNodeBuilder(0).setOutput(0, "sum");
        g.addInitializer(dev.bantam.onnx.ir.serde.proto.Onnx.TensorProto.newBuilder().setName("E").setDataType(1)
                .addDims(0));
        g.addNode(dev.bantam.onnx.ir.serde.proto.Onnx.NodeProto.newBuilder().setOpType("Concat").setName("cat")
                .addInput("sum").addInput("E").addOutput("Y").addAttribute(dev.bantam.onnx.ir.serde.proto.Onnx
                        .AttributeProto.newBuilder().setName("axis").setType(dev.bantam.onnx.ir.serde.proto.Onnx
                                .AttributeProto.AttributeType.INT).setI(0)));
        Path in = dir.resolve("in.onnx");
        Files.write(in, proto.build().toByteArray());
        Path out = dir.resolve("out/m.onnx");
        SaveResult r = ModelIO.save(ModelIO.load(in), out, SaveOptions.external("m.bin", 0));
        assertEquals(1, r.externalTensors(), "W goes out, the empty E stays");
        assertFalse(ModelIO.load(out).graph().initializer("E").initializer().isExternal());
        Map<String, Tensor> x = Map.of("X", Tensor.ofFloats("X", new float[] {1, 1}, 2));
        assertTrue(Ort.run(in, x).get("Y").sameAs(Ort.run(out, x).get("Y")));
    }

    /** Fuzzing: ONNX Runtime reads an If's constant condition relative to its working folder, not the model's. */
    @Test
    void conditionsStayInline(@TempDir Path dir) throws Exception {
        var proto = dev.bantam.onnx.testing.CraftedModels.tinyAdd();
        var g = proto.getGraphBuilder();
        g.getNodeBuilder(0).setOutput(0, "sum");
        g.addInitializer(dev.bantam.onnx.ir.serde.proto.Onnx.TensorProto.newBuilder().setName("go").setDataType(9)
                .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[] {1})));
        var branch = dev.bantam.onnx.ir.serde.proto.Onnx.GraphProto.newBuilder().setName("b")
                .addOutput(dev.bantam.onnx.ir.serde.proto.Onnx.ValueInfoProto.newBuilder().setName("t")
                        .setType(g.getInput(0).getType()))
                .addNode(dev.bantam.onnx.ir.serde.proto.Onnx.NodeProto.newBuilder().setOpType("Identity").setName("id")
                        .addInput("sum").addOutput("t")).build();
        g.addNode(dev.bantam.onnx.ir.serde.proto.Onnx.NodeProto.newBuilder().setOpType("If").setName("if").addInput("go")
                .addOutput("Y")
                .addAttribute(dev.bantam.onnx.ir.serde.proto.Onnx.AttributeProto.newBuilder().setName("then_branch")
                        .setType(dev.bantam.onnx.ir.serde.proto.Onnx.AttributeProto.AttributeType.GRAPH).setG(branch))
                .addAttribute(dev.bantam.onnx.ir.serde.proto.Onnx.AttributeProto.newBuilder().setName("else_branch")
                        .setType(dev.bantam.onnx.ir.serde.proto.Onnx.AttributeProto.AttributeType.GRAPH)
                        .setG(branch.toBuilder().setName("e"))));
        Path in = dir.resolve("in.onnx");
        Files.write(in, proto.build().toByteArray());
        Path out = dir.resolve("out/m.onnx");
        SaveResult r = ModelIO.save(ModelIO.load(in), out, SaveOptions.external("m.bin", 0));
        assertEquals(1, r.externalTensors(), "W goes out, the condition stays");
        assertFalse(ModelIO.load(out).graph().initializer("go").initializer().isExternal());
        Map<String, Tensor> x = Map.of("X", Tensor.ofFloats("X", new float[] {1, 1}, 2));
        assertTrue(Ort.run(in, x).get("Y").sameAs(Ort.run(out, x).get("Y")));
    }

    /**
     * Quantizers build tensors over int[] and float[] arrays; such heap segments cannot become ByteBuffers, and
     * saving with external data (as every scoring copy of a model over 64 MB is) failed with a JDK message.
     */
    @Test
    void tensorsOverNonByteArraysSaveWithExternalData(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.onnx");
        Files.write(in, dev.bantam.onnx.testing.CraftedModels.tinyAdd().build().toByteArray());
        Model m = ModelIO.load(in);
        var w = m.graph().initializer("W");
        m.graph().setInitializer(w, Tensor.ofBytes("W", dev.bantam.onnx.ir.DataType.FLOAT, new long[] {2},
                java.lang.foreign.MemorySegment.ofArray(new float[] {3f, -4f})));
        Path out = dir.resolve("out/m.onnx");
        SaveResult r = ModelIO.save(m, out, SaveOptions.external("m.bin", 0));
        assertEquals(1, r.externalTensors());
        Map<String, Tensor> x = Map.of("X", Tensor.ofFloats("X", new float[] {1, 1}, 2));
        org.junit.jupiter.api.Assertions.assertNull(Ort.compare(Tensor.ofFloats("Y", new float[] {4f, -3f}, 2), Ort.run(out, x).get("Y"), 0, 0));
    }
}
