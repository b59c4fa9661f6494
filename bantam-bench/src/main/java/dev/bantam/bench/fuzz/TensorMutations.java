package dev.bantam.bench.fuzz;

import com.google.protobuf.ByteString;
import dev.bantam.onnx.ir.serde.proto.Onnx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Hostile changes to tensors and types: data types, dims, stored sizes, special values, sparse tensors. */
final class TensorMutations {

    static final List<Mutation> ALL = List.of(
            new Mutation("tensor-data-type", (d, r) -> tensor(d, r, t -> t.setDataType(r.pickOf(0, 2, 3, 6, 7, 8, 9,
                    10, 11, 16, 17, 21, 22, 23, 24, 25, 99, -1)))),
            new Mutation("tensor-huge-dim", (d, r) -> tensor(d, r, t -> t.setDims(0, r.pickOf(1L << 31, 1L << 40,
                    Long.MAX_VALUE, 1L << 20)))),
            new Mutation("tensor-negative-dim", (d, r) -> tensor(d, r, t -> t.setDims(0, r.pickOf(-1L, -5L,
                    Long.MIN_VALUE)))),
            new Mutation("tensor-zero-dim", (d, r) -> tensor(d, r, t -> t.setDims(0, 0))),
            new Mutation("tensor-extra-dims", (d, r) -> tensor(d, r, t -> t.addDims(1).addDims(r.pickOf(1L, 2L, 0L)))),
            new Mutation("tensor-no-dims", (d, r) -> tensor(d, r, Onnx.TensorProto.Builder::clearDims)),
            new Mutation("tensor-truncated-raw", TensorMutations::truncateRaw),
            new Mutation("tensor-raw-and-typed", (d, r) -> tensor(d, r, t -> t.addFloatData(1f).addInt64Data(2))),
            new Mutation("tensor-no-data", (d, r) -> tensor(d, r, t -> t.clearRawData().clearFloatData()
                    .clearInt64Data().clearInt32Data())),
            new Mutation("tensor-special-values", TensorMutations::specialValues),
            new Mutation("tensor-strings", (d, r) -> tensor(d, r, t -> t.clearRawData().clearFloatData().setDataType(8)
                    .addStringData(ByteString.copyFromUtf8("a")).addStringData(ByteString.copyFrom(new byte[] {-1})))),
            new Mutation("tensor-segment", (d, r) -> tensor(d, r, t -> t.setSegment(Onnx.TensorProto.Segment
                    .newBuilder().setBegin(r.hostileLong()).setEnd(r.hostileLong())))),
            new Mutation("tensor-empty-name", (d, r) -> tensor(d, r, t -> t.setName(""))),
            new Mutation("tensor-duplicate", TensorMutations::duplicateInitializer),
            new Mutation("value-elem-type", (d, r) -> valueType(d, r, ty -> ty.getTensorTypeBuilder()
                    .setElemType(r.pickOf(0, 2, 7, 8, 9, 16, 99)))),
            new Mutation("value-huge-dim", (d, r) -> valueType(d, r, ty -> ty.getTensorTypeBuilder().getShapeBuilder()
                    .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(r.hostileLong())))),
            new Mutation("value-dim-param", (d, r) -> valueType(d, r, ty -> ty.getTensorTypeBuilder().getShapeBuilder()
                    .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(r.pickOf("", "N", "x".repeat(300),
                            "batch size"))))),
            new Mutation("value-no-type", (d, r) -> valueType(d, r, Onnx.TypeProto.Builder::clear)),
            new Mutation("value-sequence-type", (d, r) -> valueType(d, r, ty -> ty.clear().setSequenceType(
                    Onnx.TypeProto.Sequence.newBuilder().setElemType(Protos.tensorType(1, 4))))),
            new Mutation("value-map-type", (d, r) -> valueType(d, r, ty -> ty.clear().setMapType(
                    Onnx.TypeProto.Map.newBuilder().setKeyType(7).setValueType(Protos.tensorType(1))))),
            new Mutation("value-optional-type", (d, r) -> valueType(d, r, ty -> ty.clear().setOptionalType(
                    Onnx.TypeProto.Optional.newBuilder().setElemType(Protos.tensorType(1, 1, 4))))),
            new Mutation("sparse-bad", TensorMutations::sparseBad));

    private TensorMutations() {
    }

    private static void tensor(ModelDraft d, Rng r, java.util.function.Consumer<Onnx.TensorProto.Builder> f) {
        Onnx.GraphProto.Builder g = d.graph();
        if (g.getInitializerCount() > 0) {
            f.accept(withDims(g.getInitializerBuilder(r.below(g.getInitializerCount()))));
        } else if (g.getSparseInitializerCount() > 0) {
            f.accept(g.getSparseInitializerBuilder(0).getValuesBuilder().addDims(3));
        } else {
            for (Onnx.NodeProto.Builder n : g.getNodeBuilderList()) {
                for (Onnx.AttributeProto.Builder a : n.getAttributeBuilderList()) {
                    if (a.hasT()) {
                        f.accept(withDims(a.getTBuilder()));
                        return;
                    }
                }
            }
        }
    }

    /** A scalar gets one dimension of 1 first, so that the mutations that change the first dimension apply. */
    private static Onnx.TensorProto.Builder withDims(Onnx.TensorProto.Builder t) {
        if (t.getDimsCount() == 0) {
            t.addDims(1);
        }
        return t;
    }

    private static void truncateRaw(ModelDraft d, Rng r) {
        tensor(d, r, t -> {
            if (t.hasRawData() && t.getRawData().size() > 0) {
                t.setRawData(t.getRawData().substring(0, r.below(t.getRawData().size())));
            } else if (t.getFloatDataCount() > 0) {
                java.util.List<Float> keep = new java.util.ArrayList<>(t.getFloatDataList());
                t.clearFloatData().addAllFloatData(keep.subList(1, keep.size()));
            }
        });
    }

    private static void specialValues(ModelDraft d, Rng r) {
        tensor(d, r, t -> {
            if (!t.hasRawData() || t.getDataType() != Protos.FLOAT) {
                return;
            }
            ByteBuffer b = ByteBuffer.allocate(t.getRawData().size()).order(ByteOrder.LITTLE_ENDIAN);
            float v = r.pickOf(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, 3e38f, 1e-45f, -0f);
            boolean all = r.chance(0.5);
            ByteBuffer old = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            while (old.remaining() >= 4) {
                float x = old.getFloat();
                b.putFloat(all || r.chance(0.3) ? v : x);
            }
            t.setRawData(ByteString.copyFrom(b.array()));
        });
    }

    private static void duplicateInitializer(ModelDraft d, Rng r) {
        Onnx.GraphProto.Builder g = d.graph();
        if (g.getInitializerCount() > 0) {
            Onnx.TensorProto t = g.getInitializer(r.below(g.getInitializerCount()));
            g.addInitializer(r.chance(0.5) ? t : t.toBuilder().clearDims().addDims(t.getDimsCount() > 0
                    ? t.getDims(0) + 1 : 2).build());
        }
    }

    private static void valueType(ModelDraft d, Rng r, java.util.function.Consumer<Onnx.TypeProto.Builder> f) {
        Onnx.GraphProto.Builder g = d.graph();
        List<Onnx.ValueInfoProto.Builder> values = new java.util.ArrayList<>(g.getInputBuilderList());
        values.addAll(g.getOutputBuilderList());
        values.addAll(g.getValueInfoBuilderList());
        if (!values.isEmpty()) {
            f.accept(r.pick(values).getTypeBuilder());
        }
    }

    private static void sparseBad(ModelDraft d, Rng r) {
        Onnx.SparseTensorProto.Builder s = Onnx.SparseTensorProto.newBuilder().addDims(4).addDims(4)
                .setValues(Protos.floats("Sx", r, 3));
        switch (r.below(5)) {
            case 0 -> s.setIndices(Protos.int64s("i", 0, 99, 1L << 40));
            case 1 -> s.setIndices(Protos.int64s("i", 0, 1));
            case 2 -> s.setIndices(Protos.int64s("i", 5, 5, -1)).setDims(0, -4);
            case 3 -> s.setIndices(Protos.int64s("i", 0, 1, 2)).clearDims();
            default -> s.setIndices(Protos.floats("i", r, 3));
        }
        d.graph().addSparseInitializer(s);
        if (d.graph().getNodeCount() > 0 && d.graph().getNode(0).getInputCount() > 0 && r.chance(0.7)) {
            d.graph().getNodeBuilder(0).setInput(d.graph().getNode(0).getInputCount() - 1, "Sx");
        }
    }
}
