package dev.bantam.onnx.ir.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.bantam.onnx.ir.serde.proto.Onnx;
import dev.bantam.onnx.testing.CraftedModels;
import dev.bantam.onnx.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The zero-copy splice (read) and expand (write) paths against protobuf-java's own parser and serializer,
 * the reference: lifting raw data out and streaming it back in must give the same message.
 */
class RawDataSpliceTest {

    /** A model with large raw data at every depth the splicer follows: graph, If branch, sparse, function. */
    static Onnx.ModelProto nested() {
        byte[] big = new byte[4096];
        new Random(3).nextBytes(big);
        Onnx.TensorProto t = Onnx.TensorProto.newBuilder().setName("w").setDataType(2).addDims(4096)
                .setRawData(ByteString.copyFrom(big)).setDocString("after raw data").build();
        Onnx.TensorProto small = CraftedModels.floats("s", 1f, 2f);
        Onnx.GraphProto branch = Onnx.GraphProto.newBuilder().setName("then").addInitializer(t.toBuilder().setName("bw"))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Constant").addOutput("c").addAttribute(
                        Onnx.AttributeProto.newBuilder().setName("value").setType(Onnx.AttributeProto.AttributeType.TENSOR)
                                .setT(t.toBuilder().setName("ct"))))
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName("c")).build();
        Onnx.ModelProto.Builder m = CraftedModels.tinyAdd();
        m.getGraphBuilder().addInitializer(t).addInitializer(small)
                .addSparseInitializer(Onnx.SparseTensorProto.newBuilder().setValues(t.toBuilder().setName("sp"))
                        .setIndices(Onnx.TensorProto.newBuilder().setDataType(7).addDims(0)).addDims(4096))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("If").addInput("cond").addOutput("o")
                        .addAttribute(Onnx.AttributeProto.newBuilder().setName("then_branch")
                                .setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(branch)));
        m.addFunctions(Onnx.FunctionProto.newBuilder().setName("f").setDomain("local")
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Constant").addOutput("k").addAttribute(
                        Onnx.AttributeProto.newBuilder().setName("value").setType(Onnx.AttributeProto.AttributeType.TENSOR)
                                .setT(t.toBuilder().setName("ft")))));
        return m.build();
    }

    private static void assertSpliceAndExpandAreLossless(byte[] original) throws Exception {
        RawDataSplicer.Result r = RawDataSplicer.splice(MemorySegment.ofArray(original));
        assertTrue(r.message().length < original.length || r.slices().isEmpty());
        List<MemorySegment> segs = new ArrayList<>();
        for (long[] s : r.slices()) {
            segs.add(MemorySegment.ofArray(original).asSlice(s[0], s[1]));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RawDataExpander.write(r.message(), segs, out);
        assertEquals(out.size(), RawDataExpander.size(r.message(), segs));
        assertEquals(Onnx.ModelProto.parseFrom(original), Onnx.ModelProto.parseFrom(out.toByteArray()));
    }

    @Test
    void nestedTensorsEverywhere() throws Exception {
        byte[] bytes = nested().toByteArray();
        RawDataSplicer.Result r = RawDataSplicer.splice(MemorySegment.ofArray(bytes));
        assertEquals(5, r.slices().size(), "graph, sparse values, If branch initializer and Constant, function");
        assertSpliceAndExpandAreLossless(bytes);
    }

    @Test
    void fullReadWriteMatchesProtobuf() throws Exception {
        byte[] bytes = nested().toByteArray();
        byte[] ours = OnnxSerde.toBytes(OnnxSerde.read(bytes));
        assertEquals(Onnx.ModelProto.parseFrom(bytes), Onnx.ModelProto.parseFrom(ours));
    }

    @Test
    void realModels() throws Exception {
        for (String m : List.of("fmnist/cnn.onnx", "fmnist/mobilenet.onnx", "ocr-cls.onnx")) {
            assertSpliceAndExpandAreLossless(Files.readAllBytes(TestData.repoModel(m)));
        }
    }

    /** Issue 10: a tensor carrying the splicer's own marker field is refused, whatever its value and wire type. */
    @Test
    void aTensorCarryingTheMarkerFieldIsRefused() {
        for (com.google.protobuf.UnknownFieldSet.Field f : List.of(
                com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(0).build(),
                com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(5).build(),
                com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(-1).build(),
                com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(0).addVarint(0).build(),
                com.google.protobuf.UnknownFieldSet.Field.newBuilder().addFixed32(1).build(),
                com.google.protobuf.UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("x")).build())) {
            Onnx.ModelProto.Builder m = nested().toBuilder();
            Onnx.TensorProto bias = CraftedModels.floats("bias", 1f, 2f).toBuilder().setUnknownFields(
                    com.google.protobuf.UnknownFieldSet.newBuilder().addField(WireFormat.SPLICE_FIELD, f).build()).build();
            m.getGraphBuilder().addInitializer(bias);
            var e = org.junit.jupiter.api.Assertions.assertThrows(dev.bantam.onnx.io.ModelFormatException.class,
                    () -> OnnxSerde.read(m.build().toByteArray()));
            assertTrue(e.getMessage().contains("carries field number " + WireFormat.SPLICE_FIELD), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
            var t = org.junit.jupiter.api.Assertions.assertThrows(dev.bantam.onnx.io.ModelFormatException.class,
                    () -> OnnxSerde.readTensor(bias.toByteArray()));
            assertTrue(t.getMessage().contains("tensor 'bias' carries field number"), t.getMessage());
        }
    }

    /** Issue 10: deeply nested If graphs are refused with one line by the walker, with no stack overflow. */
    @Test
    void deepNestingIsRefusedWithOneLine() {
        for (int levels : new int[] {400, 1000, 5000}) {
            byte[] bytes = dev.bantam.onnx.testing.HostileModels.nestedIfs(levels);
            var e = org.junit.jupiter.api.Assertions.assertThrows(dev.bantam.onnx.io.ModelFormatException.class,
                    () -> OnnxSerde.read(bytes));
            assertTrue(e.getMessage().contains("nested more than " + WireFormat.MAX_NESTING + " levels"), e.getMessage());
        }
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("leaf").build();
        for (int i = 0; i < 300; i++) {
            g = Onnx.GraphProto.newBuilder().setName("g" + i).addNode(Onnx.NodeProto.newBuilder().setOpType("If")
                    .addInput("c").addOutput("o").addAttribute(Onnx.AttributeProto.newBuilder().setName("then_branch")
                            .setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(g))).build();
        }
        OnnxSerde.read(CraftedModels.tinyAdd().setGraph(g).build().toByteArray());
    }

    /**
     * Issue 10: large doc strings of the model, a graph and a node are lifted and decoded straight from the file,
     * and streamed back on writing: the same strings as protobuf's own parser gives (multi-byte characters across
     * the decoder's 1 MiB chunks, malformed bytes replaced alike), and the same message written back.
     */
    @Test
    void largeDocStringsReadAndWriteLikeProtobuf() throws Exception {
        StringBuilder b = new StringBuilder();
        Random r = new Random(5);
        while (b.length() < (3 << 20)) {
            b.append(switch (r.nextInt(4)) {
                case 0 -> "é";
                case 1 -> "\u4e2d";
                case 2 -> "\uD83D\uDE00";
                default -> "abc";
            });
        }
        String big = b.toString();
        Onnx.ModelProto.Builder m = CraftedModels.tinyAdd().setDocString(big);
        m.getGraphBuilder().setDocString("g" + big).getNodeBuilder(0).setDocString(big.substring(0, 70_000));
        byte[] bytes = m.build().toByteArray();
        dev.bantam.onnx.ir.Model ir = OnnxSerde.read(bytes);
        Onnx.ModelProto reference = Onnx.ModelProto.parseFrom(bytes);
        assertEquals(reference.getDocString(), ir.docString());
        assertEquals(reference.getGraph().getDocString(), ir.graph().docString());
        assertEquals(reference.getGraph().getNode(0).getDocString(), ir.graph().nodes().getFirst().docString());
        assertEquals(reference, Onnx.ModelProto.parseFrom(OnnxSerde.toBytes(ir)));
        byte[] malformed = new byte[100_000];
        java.util.Arrays.fill(malformed, (byte) 'x');
        malformed[65_536] = (byte) 0xC3;
        malformed[99_999] = (byte) 0xE2;
        Onnx.ModelProto.Builder bad = CraftedModels.tinyAdd().setDocStringBytes(ByteString.copyFrom(malformed));
        byte[] badBytes = bad.build().toByteArray();
        assertEquals(Onnx.ModelProto.parseFrom(badBytes).getDocString(), OnnxSerde.read(badBytes).docString());
    }
}
