package dev.bantam.onnx.ir.serde;

import com.google.protobuf.UnknownFieldSet;
import dev.bantam.onnx.io.ModelFormatException;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.KeyValue;
import dev.bantam.onnx.ir.SparseTensor;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.TensorData;
import dev.bantam.onnx.ir.TensorDetails;
import dev.bantam.onnx.ir.serde.proto.Onnx;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** Reads TensorProto into IR tensors without copying raw data that was lifted out of the message. */
final class TensorReader {

    private final List<MemorySegment> splices;
    private final ExternalResolver resolver;

    TensorReader(List<MemorySegment> splices, ExternalResolver resolver) {
        this.splices = splices;
        this.resolver = resolver;
    }

    Tensor read(Onnx.TensorProto p) {
        String name = p.hasName() ? p.getName() : null;
        String shown = name == null ? "(unnamed)" : "'" + name + "'";
        DataType type;
        try {
            type = DataType.fromCode(p.getDataType());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("tensor " + shown + ": " + e.getMessage());
        }
        long[] dims = new long[p.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = p.getDims(i);
        }
        UnknownFieldSet unknown = p.getUnknownFields();
        Integer splice = null;
        if (unknown.hasField(WireFormat.SPLICE_FIELD)) {
            UnknownFieldSet.Field f = unknown.getField(WireFormat.SPLICE_FIELD);
            if (f.getVarintList().size() != 1 || f.getVarintList().getFirst() < 0
                    || f.getVarintList().getFirst() >= splices.size() || f.toByteString(WireFormat.SPLICE_FIELD).size()
                    != WireFormat.varint((long) WireFormat.SPLICE_FIELD << 3).length
                    + WireFormat.varintSize(f.getVarintList().getFirst())) {
                throw new ModelFormatException("tensor " + shown + " carries field number " + WireFormat.SPLICE_FIELD
                        + ", which no ONNX version defines and Bantam reserves for its own use");
            }
            splice = f.getVarintList().getFirst().intValue();
            unknown = UnknownFieldSet.newBuilder(unknown).clearField(WireFormat.SPLICE_FIELD).build();
        }
        TensorDetails details = new TensorDetails(p.hasDocString() ? p.getDocString() : null,
                ProtoReader.keyValues(p.getMetadataPropsList()),
                p.hasSegment() && p.getSegment().hasBegin() ? p.getSegment().getBegin() : null,
                p.hasSegment() && p.getSegment().hasEnd() ? p.getSegment().getEnd() : null,
                p.hasSegment(), p.hasDataLocation() ? p.getDataLocation().getNumber() : null,
                ProtoReader.unknown(unknown));
        return new Tensor(name, type, dims, data(p, name, type, dims, splice), details);
    }

    private TensorData data(Onnx.TensorProto p, String name, DataType type, long[] dims, Integer splice) {
        if (splice != null) {
            return new TensorData.Raw(splices.get(splice));
        }
        if (p.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL) {
            List<KeyValue> entries = ProtoReader.keyValues(p.getExternalDataList());
            return new TensorData.External(resolver.resolve(name, entries, expectedBytes(type, dims)));
        }
        if (p.hasRawData()) {
            return new TensorData.Raw(MemorySegment.ofArray(p.getRawData().toByteArray()).asReadOnly());
        }
        if (p.getFloatDataCount() > 0) {
            return new TensorData.Fields(TensorData.FieldKind.FLOAT_DATA, toArray(p.getFloatDataList()));
        }
        if (p.getInt32DataCount() > 0) {
            return new TensorData.Fields(TensorData.FieldKind.INT32_DATA,
                    p.getInt32DataList().stream().mapToInt(Integer::intValue).toArray());
        }
        if (p.getInt64DataCount() > 0) {
            return new TensorData.Fields(TensorData.FieldKind.INT64_DATA,
                    p.getInt64DataList().stream().mapToLong(Long::longValue).toArray());
        }
        if (p.getDoubleDataCount() > 0) {
            return new TensorData.Fields(TensorData.FieldKind.DOUBLE_DATA,
                    p.getDoubleDataList().stream().mapToDouble(Double::doubleValue).toArray());
        }
        if (p.getUint64DataCount() > 0) {
            return new TensorData.Fields(TensorData.FieldKind.UINT64_DATA,
                    p.getUint64DataList().stream().mapToLong(Long::longValue).toArray());
        }
        if (p.getStringDataCount() > 0) {
            return new TensorData.Strings(p.getStringDataList().stream().map(b -> b.toByteArray()).toList());
        }
        return new TensorData.Absent();
    }

    private static float[] toArray(List<Float> list) {
        float[] a = new float[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }

    /** The raw byte size the shape calls for, or -1 when it cannot be computed (strings, bad dims). */
    private static long expectedBytes(DataType type, long[] dims) {
        if (type.bitWidth() == 0) {
            return -1;
        }
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                return -1;
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return type.byteSize(n);
    }

    SparseTensor readSparse(Onnx.SparseTensorProto p) {
        long[] dims = p.getDimsList().stream().mapToLong(Long::longValue).toArray();
        return new SparseTensor(read(p.getValues()), read(p.getIndices()), dims);
    }
}
