package dev.bantam.bench.fuzz;

import dev.bantam.onnx.ir.serde.proto.Onnx;
import dev.bantam.onnx.ir.serde.proto.Onnx.AttributeProto.AttributeType;
import java.util.List;

/** Hostile changes to node attributes: wrong types, wrong values, missing, duplicated, unknown. */
final class AttributeMutations {

    private static final List<String> NAMES = List.of("axis", "kernel_shape", "pads", "strides", "dilations", "group",
            "alpha", "beta", "transA", "transB", "perm", "to", "value", "epsilon", "auto_pad", "allowzero", "keepdims",
            "body", "then_branch", "mode", "axes", "split");

    static final List<Mutation> ALL = List.of(
            new Mutation("attr-wrong-type", AttributeMutations::wrongType),
            new Mutation("attr-undefined-type", (d, r) -> withAttr(d, r, a -> a.setType(AttributeType.UNDEFINED))),
            new Mutation("attr-no-type", (d, r) -> withAttr(d, r, a -> a.clearType())),
            new Mutation("attr-hostile-int", (d, r) -> withAttr(d, r, a -> a.setType(AttributeType.INT)
                    .setI(r.hostileLong()))),
            new Mutation("attr-hostile-ints", AttributeMutations::hostileInts),
            new Mutation("attr-special-float", (d, r) -> withAttr(d, r, a -> a.setType(AttributeType.FLOAT)
                    .setF(r.pickOf(Float.NaN, Float.POSITIVE_INFINITY, -0f, Float.MIN_VALUE, -1e30f)))),
            new Mutation("attr-remove", AttributeMutations::remove),
            new Mutation("attr-duplicate", AttributeMutations::duplicate),
            new Mutation("attr-add", AttributeMutations::add),
            new Mutation("attr-empty-name", (d, r) -> withAttr(d, r, a -> a.setName(""))),
            new Mutation("attr-ref", (d, r) -> withAttr(d, r, a -> a.setRefAttrName("missing_ref"))),
            new Mutation("attr-bad-tensor", AttributeMutations::badTensor));

    private AttributeMutations() {
    }

    private static void withAttr(ModelDraft d, Rng r, java.util.function.Consumer<Onnx.AttributeProto.Builder> f) {
        Onnx.NodeProto.Builder n = nodeWithAttr(d, r);
        if (n != null) {
            f.accept(n.getAttributeBuilder(r.below(n.getAttributeCount())));
        }
    }

    private static Onnx.NodeProto.Builder nodeWithAttr(ModelDraft d, Rng r) {
        List<Onnx.NodeProto.Builder> withAttrs = d.graph().getNodeBuilderList().stream()
                .filter(n -> n.getAttributeCount() > 0).toList();
        if (withAttrs.isEmpty()) {
            Onnx.NodeProto.Builder n = GraphMutations.anyNode(d, r);
            if (n != null) {
                n.addAttribute(Protos.intAttr(r.pick(NAMES), 1));
            }
            return n;
        }
        return r.pick(withAttrs);
    }

    private static void wrongType(ModelDraft d, Rng r) {
        withAttr(d, r, a -> {
            AttributeType t = r.pick(List.of(AttributeType.values()).subList(0, AttributeType.values().length - 1));
            a.setType(t);
            switch (t) {
                case FLOAT -> a.setF(2.5f);
                case INT -> a.setI(3);
                case STRING -> a.setS(com.google.protobuf.ByteString.copyFromUtf8("NOTSET"));
                case INTS -> a.addInts(1);
                case FLOATS -> a.addFloats(1f);
                case TENSOR -> a.setT(Protos.int64s("t", 1, 2));
                case GRAPH -> a.setG(Onnx.GraphProto.newBuilder().setName("g"));
                default -> { }
            }
        });
    }

    private static void hostileInts(ModelDraft d, Rng r) {
        withAttr(d, r, a -> {
            a.setType(AttributeType.INTS).clearInts();
            int k = r.pickOf(0, 1, 2, 3, 4, 8, 100);
            for (int i = 0; i < k; i++) {
                a.addInts(r.chance(0.5) ? r.hostileLong() : r.between(-2, 4));
            }
        });
    }

    private static void remove(ModelDraft d, Rng r) {
        Onnx.NodeProto.Builder n = nodeWithAttr(d, r);
        if (n != null && n.getAttributeCount() > 0) {
            n.removeAttribute(r.below(n.getAttributeCount()));
        }
    }

    private static void duplicate(ModelDraft d, Rng r) {
        Onnx.NodeProto.Builder n = nodeWithAttr(d, r);
        if (n != null && n.getAttributeCount() > 0) {
            Onnx.AttributeProto a = n.getAttribute(r.below(n.getAttributeCount()));
            n.addAttribute(a.toBuilder().setI(a.getI() + 1));
        }
    }

    private static void add(ModelDraft d, Rng r) {
        Onnx.NodeProto.Builder n = GraphMutations.anyNode(d, r);
        if (n != null) {
            String name = r.pick(NAMES);
            n.addAttribute(r.chance(0.5) ? Protos.intAttr(name, r.hostileLong()) : Protos.ints(name, 1, 0, -1));
        }
    }

    private static void badTensor(ModelDraft d, Rng r) {
        withAttr(d, r, a -> a.setType(AttributeType.TENSOR).setT(Onnx.TensorProto.newBuilder()
                .setDataType(r.pickOf(0, 1, 7, 8, 16, 999)).addDims(r.hostileLong())
                .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[r.below(9)]))));
    }
}
