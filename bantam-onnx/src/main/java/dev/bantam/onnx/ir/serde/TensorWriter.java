package dev.bantam.onnx.ir.serde;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.bantam.onnx.ir.KeyValue;
import dev.bantam.onnx.ir.OpaqueMessage;
import dev.bantam.onnx.ir.SparseTensor;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.TensorData;
import dev.bantam.onnx.ir.TensorDetails;
import dev.bantam.onnx.ir.serde.proto.Onnx;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** Writes IR tensors as TensorProto; raw bytes are wrapped, not copied, until the message is written out. */
final class TensorWriter {

    private final TensorPlacement placement;
    private final List<MemorySegment> splices = new ArrayList<>();

    TensorWriter(TensorPlacement placement) {
        this.placement = placement;
    }

    /** Segments that {@link RawDataExpander} streams into the marked raw_data fields, by index. */
    List<MemorySegment> splices() {
        return splices;
    }

    Onnx.TensorProto write(Tensor t, boolean initializer) {
        Onnx.TensorProto.Builder b = Onnx.TensorProto.newBuilder();
        for (long d : t.dims()) {
            b.addDims(d);
        }
        b.setDataType(t.dataType().code());
        if (t.name() != null) {
            b.setName(t.name());
        }
        TensorDetails d = t.details();
        if (d.docString() != null) {
            b.setDocString(d.docString());
        }
        b.addAllMetadataProps(ProtoWriter.entries(d.metadata()));
        if (d.hasSegment()) {
            Onnx.TensorProto.Segment.Builder s = Onnx.TensorProto.Segment.newBuilder();
            if (d.segmentBegin() != null) {
                s.setBegin(d.segmentBegin());
            }
            if (d.segmentEnd() != null) {
                s.setEnd(d.segmentEnd());
            }
            b.setSegment(s);
        }
        List<KeyValue> external = initializer ? placement.externalEntries(t) : null;
        if (external != null) {
            b.addAllExternalData(ProtoWriter.entries(external));
            b.setDataLocation(Onnx.TensorProto.DataLocation.EXTERNAL);
        } else {
            writeData(t, b);
            if (d.dataLocation() != null && d.dataLocation() != Onnx.TensorProto.DataLocation.EXTERNAL_VALUE) {
                b.setDataLocation(Onnx.TensorProto.DataLocation.forNumber(d.dataLocation()));
            }
        }
        mergeUnknown(b, d.unknownFields());
        return b.build();
    }

    private void writeData(Tensor t, Onnx.TensorProto.Builder b) {
        switch (t.data()) {
            case TensorData.Raw r -> rawData(r.bytes(), b);
            case TensorData.External e -> rawData(t.bytes(), b);
            case TensorData.Fields f -> {
                switch (f.kind()) {
                    case FLOAT_DATA -> {
                        for (float v : (float[]) f.array()) {
                            b.addFloatData(v);
                        }
                    }
                    case INT32_DATA -> {
                        for (int v : (int[]) f.array()) {
                            b.addInt32Data(v);
                        }
                    }
                    case INT64_DATA -> {
                        for (long v : (long[]) f.array()) {
                            b.addInt64Data(v);
                        }
                    }
                    case DOUBLE_DATA -> {
                        for (double v : (double[]) f.array()) {
                            b.addDoubleData(v);
                        }
                    }
                    case UINT64_DATA -> {
                        for (long v : (long[]) f.array()) {
                            b.addUint64Data(v);
                        }
                    }
                }
            }
            case TensorData.Strings s -> s.values().forEach(v -> b.addStringData(ByteString.copyFrom(v)));
            case TensorData.Absent a -> { }
        }
    }

    /** Small raw data is copied into the message; large raw data is marked and streamed in at write time. */
    private void rawData(MemorySegment seg, Onnx.TensorProto.Builder b) {
        if (seg.byteSize() < RawDataSplicer.MIN_SPLICE_BYTES) {
            b.setRawData(ByteString.copyFrom(seg.toArray(ValueLayout.JAVA_BYTE)));
            return;
        }
        b.mergeUnknownFields(UnknownFieldSet.newBuilder().addField(WireFormat.SPLICE_FIELD,
                UnknownFieldSet.Field.newBuilder().addVarint(splices.size()).build()).build());
        splices.add(seg);
    }

    Onnx.SparseTensorProto writeSparse(SparseTensor s) {
        Onnx.SparseTensorProto.Builder b = Onnx.SparseTensorProto.newBuilder()
                .setValues(write(s.values(), false)).setIndices(write(s.indices(), false));
        for (long d : s.dims()) {
            b.addDims(d);
        }
        return b.build();
    }

    static void mergeUnknown(com.google.protobuf.Message.Builder b, OpaqueMessage unknown) {
        if (unknown == null) {
            return;
        }
        try {
            b.mergeUnknownFields(UnknownFieldSet.parseFrom(unknown.bytes()));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt preserved fields", e);
        }
    }
}
