package dev.bantam.onnx.ir.serde;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Dim;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.ir.serde.proto.Onnx;
import java.util.ArrayList;
import java.util.List;

/** Converts value types, shapes and ValueInfoProto between protobuf and the IR. */
final class TypeCodec {

    private TypeCodec() {
    }

    /** Copies a ValueInfoProto's type, doc string and metadata onto {@code v}; what {@code v} has wins. */
    static void applyValueInfo(Value v, Onnx.ValueInfoProto vi) {
        if (v.type() == null && vi.hasType()) {
            v.setType(readType(vi.getType()));
        }
        if (v.docString() == null && vi.hasDocString()) {
            v.setDocString(vi.getDocString());
        }
        if (v.metadata().isEmpty() && vi.getMetadataPropsCount() > 0) {
            v.setMetadata(ProtoReader.keyValues(vi.getMetadataPropsList()));
        }
    }

    static Onnx.ValueInfoProto writeValueInfo(Value v) {
        Onnx.ValueInfoProto.Builder b = Onnx.ValueInfoProto.newBuilder().setName(v.name());
        if (v.type() != null) {
            b.setType(writeType(v.type()));
        }
        if (v.docString() != null) {
            b.setDocString(v.docString());
        }
        b.addAllMetadataProps(ProtoWriter.entries(v.metadata()));
        return b.build();
    }

    static ValueType readType(Onnx.TypeProto t) {
        String den = t.hasDenotation() ? t.getDenotation() : null;
        return switch (t.getValueCase()) {
            case TENSOR_TYPE -> new ValueType.TensorType(elem(t.getTensorType().hasElemType(),
                    t.getTensorType().getElemType()), t.getTensorType().hasShape()
                    ? readShape(t.getTensorType().getShape()) : null, den);
            case SPARSE_TENSOR_TYPE -> new ValueType.SparseTensorType(elem(t.getSparseTensorType().hasElemType(),
                    t.getSparseTensorType().getElemType()), t.getSparseTensorType().hasShape()
                    ? readShape(t.getSparseTensorType().getShape()) : null, den);
            case SEQUENCE_TYPE -> new ValueType.SequenceType(t.getSequenceType().hasElemType()
                    ? readType(t.getSequenceType().getElemType()) : null, den);
            case MAP_TYPE -> new ValueType.MapType(elem(t.getMapType().hasKeyType(), t.getMapType().getKeyType()),
                    t.getMapType().hasValueType() ? readType(t.getMapType().getValueType()) : null, den);
            case OPTIONAL_TYPE -> new ValueType.OptionalType(t.getOptionalType().hasElemType()
                    ? readType(t.getOptionalType().getElemType()) : null, den);
            case OPAQUE_TYPE -> new ValueType.OpaqueType(t.getOpaqueType().hasDomain()
                    ? t.getOpaqueType().getDomain() : null,
                    t.getOpaqueType().hasName() ? t.getOpaqueType().getName() : null, den);
            case VALUE_NOT_SET -> new ValueType.UnsetType(den);
        };
    }

    private static DataType elem(boolean present, int code) {
        return present ? DataType.fromCode(code) : null;
    }

    static Shape readShape(Onnx.TensorShapeProto s) {
        List<Dim> dims = new ArrayList<>(s.getDimCount());
        for (Onnx.TensorShapeProto.Dimension d : s.getDimList()) {
            String den = d.hasDenotation() ? d.getDenotation() : null;
            dims.add(switch (d.getValueCase()) {
                case DIM_VALUE -> new Dim.Fixed(d.getDimValue(), den);
                case DIM_PARAM -> new Dim.Symbolic(d.getDimParam(), den);
                case VALUE_NOT_SET -> new Dim.Unknown(den);
            });
        }
        return new Shape(dims);
    }

    static Onnx.TypeProto writeType(ValueType t) {
        Onnx.TypeProto.Builder b = Onnx.TypeProto.newBuilder();
        switch (t) {
            case ValueType.TensorType tt -> {
                Onnx.TypeProto.Tensor.Builder x = Onnx.TypeProto.Tensor.newBuilder();
                if (tt.elementType() != null) {
                    x.setElemType(tt.elementType().code());
                }
                if (tt.shape() != null) {
                    x.setShape(writeShape(tt.shape()));
                }
                b.setTensorType(x);
            }
            case ValueType.SparseTensorType st -> {
                Onnx.TypeProto.SparseTensor.Builder x = Onnx.TypeProto.SparseTensor.newBuilder();
                if (st.elementType() != null) {
                    x.setElemType(st.elementType().code());
                }
                if (st.shape() != null) {
                    x.setShape(writeShape(st.shape()));
                }
                b.setSparseTensorType(x);
            }
            case ValueType.SequenceType s -> {
                Onnx.TypeProto.Sequence.Builder x = Onnx.TypeProto.Sequence.newBuilder();
                if (s.elementType() != null) {
                    x.setElemType(writeType(s.elementType()));
                }
                b.setSequenceType(x);
            }
            case ValueType.MapType m -> {
                Onnx.TypeProto.Map.Builder x = Onnx.TypeProto.Map.newBuilder();
                if (m.keyType() != null) {
                    x.setKeyType(m.keyType().code());
                }
                if (m.valueType() != null) {
                    x.setValueType(writeType(m.valueType()));
                }
                b.setMapType(x);
            }
            case ValueType.OptionalType o -> {
                Onnx.TypeProto.Optional.Builder x = Onnx.TypeProto.Optional.newBuilder();
                if (o.elementType() != null) {
                    x.setElemType(writeType(o.elementType()));
                }
                b.setOptionalType(x);
            }
            case ValueType.OpaqueType o -> {
                Onnx.TypeProto.Opaque.Builder x = Onnx.TypeProto.Opaque.newBuilder();
                if (o.domain() != null) {
                    x.setDomain(o.domain());
                }
                if (o.name() != null) {
                    x.setName(o.name());
                }
                b.setOpaqueType(x);
            }
            case ValueType.UnsetType u -> { }
        }
        if (t.denotation() != null) {
            b.setDenotation(t.denotation());
        }
        return b.build();
    }

    static Onnx.TensorShapeProto writeShape(Shape s) {
        Onnx.TensorShapeProto.Builder b = Onnx.TensorShapeProto.newBuilder();
        for (Dim d : s.dims()) {
            Onnx.TensorShapeProto.Dimension.Builder x = Onnx.TensorShapeProto.Dimension.newBuilder();
            switch (d) {
                case Dim.Fixed f -> x.setDimValue(f.value());
                case Dim.Symbolic sym -> x.setDimParam(sym.name());
                case Dim.Unknown u -> { }
            }
            if (d.denotation() != null) {
                x.setDenotation(d.denotation());
            }
            b.addDim(x);
        }
        return b.build();
    }
}
