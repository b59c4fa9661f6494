package dev.bantam.bench.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.bantam.onnx.ir.serde.proto.Onnx;
import java.util.List;

/**
 * Unknown fields in the protobuf messages: numbers Bantam does not know, the reserved range, the largest legal
 * number (the one Bantam's raw-data splicer uses as its marker) and known numbers with the wrong wire type.
 */
final class WireMutations {

    /** The largest legal field number; {@code RawDataSplicer} marks spliced tensors with it. */
    static final int MAX_FIELD = (1 << 29) - 1;

    static final List<Mutation> ALL = List.of(
            new Mutation("unknown-field-model", (d, r) -> d.model.setUnknownFields(unknown(r))),
            new Mutation("unknown-field-graph", (d, r) -> d.graph().setUnknownFields(unknown(r))),
            new Mutation("unknown-field-node", (d, r) -> {
                Onnx.NodeProto.Builder n = GraphMutations.anyNode(d, r);
                if (n != null) {
                    n.setUnknownFields(unknown(r));
                }
            }),
            new Mutation("unknown-field-tensor", (d, r) -> {
                if (d.graph().getInitializerCount() > 0) {
                    d.graph().getInitializerBuilder(r.below(d.graph().getInitializerCount())).setUnknownFields(unknown(r));
                }
            }),
            new Mutation("unknown-field-attribute", (d, r) -> {
                Onnx.NodeProto.Builder n = GraphMutations.anyNode(d, r);
                if (n != null && n.getAttributeCount() > 0) {
                    n.getAttributeBuilder(0).setUnknownFields(unknown(r));
                }
            }),
            new Mutation("unknown-field-type", (d, r) -> {
                if (d.graph().getInputCount() > 0) {
                    d.graph().getInputBuilder(0).getTypeBuilder().setUnknownFields(unknown(r));
                }
            }));

    private WireMutations() {
    }

    static UnknownFieldSet unknown(Rng r) {
        int number = r.pickOf(MAX_FIELD, MAX_FIELD - 1, 19_000, 19_999, 1_000, 100, 1, 2, 5, 7, 9, 13, 14, 25);
        UnknownFieldSet.Field.Builder f = UnknownFieldSet.Field.newBuilder();
        switch (r.below(4)) {
            case 0 -> f.addVarint(r.hostileLong());
            case 1 -> f.addFixed32(r.below(1 << 20));
            case 2 -> f.addFixed64(r.nextLong());
            default -> f.addLengthDelimited(ByteString.copyFrom(payload(r)));
        }
        return UnknownFieldSet.newBuilder().addField(number, f.build()).build();
    }

    private static byte[] payload(Rng r) {
        return switch (r.below(4)) {
            case 0 -> new byte[0];
            case 1 -> new byte[] {8, 1, 18, 2, 'h', 'i'};
            case 2 -> new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
            default -> new byte[r.between(1, 2048)];
        };
    }
}
