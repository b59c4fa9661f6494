package dev.bantam.bench.fuzz;

import static dev.bantam.bench.fuzz.Protos.FLOAT;
import static dev.bantam.bench.fuzz.Protos.INT64;
import static dev.bantam.bench.fuzz.Protos.in;
import static dev.bantam.bench.fuzz.Protos.node;

import dev.bantam.onnx.ir.serde.proto.Onnx;

/** The two valid models data specs are given to: an image classifier and a text model with a free batch size. */
final class SpecModels {

    private SpecModels() {
    }

    static byte[] of(String kind) {
        return (kind.equals("text") ? text() : image()).build().toByteArray();
    }

    /** X float[N, 1, 28, 28] → Flatten → Gemm → logits float[N, 10]. */
    static Onnx.ModelProto.Builder image() {
        Rng r = new Rng(1);
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("image")
                .addInput(withBatch(Protos.value("X", FLOAT, 1, 1, 28, 28)))
                .addOutput(withBatch(Protos.value("Y", FLOAT, 1, 10)))
                .addInitializer(Protos.floats("W", r, 784, 10)).addInitializer(Protos.floats("b", r, 10))
                .addNode(node("Flatten", "flatten", in("X"), "f"))
                .addNode(node("Gemm", "fc", in("f", "W", "b"), "Y"));
        return Protos.model(g, 17);
    }

    /** input_ids, attention_mask int64[N, L] → Cast(input_ids + attention_mask) float[N, L]. */
    static Onnx.ModelProto.Builder text() {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("text")
                .addInput(free(Protos.value("input_ids", INT64, 1, 1)))
                .addInput(free(Protos.value("attention_mask", INT64, 1, 1)))
                .addOutput(free(Protos.value("Y", FLOAT, 1, 1)))
                .addNode(node("Add", "add", in("input_ids", "attention_mask"), "s"))
                .addNode(node("Cast", "cast", in("s"), "Y").addAttribute(Protos.intAttr("to", FLOAT)));
        return Protos.model(g, 17);
    }

    private static Onnx.ValueInfoProto withBatch(Onnx.ValueInfoProto v) {
        Onnx.ValueInfoProto.Builder b = v.toBuilder();
        b.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(0).clearDimValue().setDimParam("N");
        return b.build();
    }

    private static Onnx.ValueInfoProto free(Onnx.ValueInfoProto v) {
        Onnx.ValueInfoProto.Builder b = withBatch(v).toBuilder();
        b.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(1).clearDimValue().setDimParam("L");
        return b.build();
    }
}
