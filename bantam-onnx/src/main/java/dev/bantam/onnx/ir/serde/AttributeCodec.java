package dev.bantam.onnx.ir.serde;

import com.google.protobuf.ByteString;
import dev.bantam.onnx.io.ModelFormatException;
import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.AttributeType;
import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.serde.proto.Onnx;

/** Converts attribute values between AttributeProto and the IR. */
final class AttributeCodec {

    private AttributeCodec() {
    }

    static AttributeValue readValue(Onnx.AttributeProto p, ProtoReader reader, Scope scope) {
        AttributeType type = p.hasType() ? AttributeType.fromCode(p.getType().getNumber()) : inferType(p);
        if (p.hasRefAttrName()) {
            return new AttributeValue.Reference(p.getRefAttrName(), type);
        }
        TensorReader tr = reader.tensors();
        return switch (type) {
            case FLOAT -> new AttributeValue.FloatValue(p.getF());
            case INT -> new AttributeValue.IntValue(p.getI());
            case STRING -> new AttributeValue.StringValue(p.getS().toByteArray());
            case TENSOR -> new AttributeValue.TensorValue(tr.read(p.getT()));
            case GRAPH -> new AttributeValue.GraphValue(reader.readGraph(p.getG(), scope));
            case SPARSE_TENSOR -> new AttributeValue.SparseTensorValue(tr.readSparse(p.getSparseTensor()));
            case TYPE_PROTO -> new AttributeValue.TypeValue(TypeCodec.readType(p.getTp()));
            case FLOATS -> {
                float[] a = new float[p.getFloatsCount()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = p.getFloats(i);
                }
                yield new AttributeValue.FloatsValue(a);
            }
            case INTS -> new AttributeValue.IntsValue(p.getIntsList().stream().mapToLong(Long::longValue).toArray());
            case STRINGS -> new AttributeValue.StringsValue(p.getStringsList().stream()
                    .map(ByteString::toByteArray).toList());
            case TENSORS -> new AttributeValue.TensorsValue(p.getTensorsList().stream().map(tr::read).toList());
            case GRAPHS -> new AttributeValue.GraphsValue(p.getGraphsList().stream()
                    .map(g -> reader.readGraph(g, scope)).toList());
            case SPARSE_TENSORS -> new AttributeValue.SparseTensorsValue(p.getSparseTensorsList().stream()
                    .map(tr::readSparse).toList());
            case TYPE_PROTOS -> new AttributeValue.TypesValue(p.getTypeProtosList().stream()
                    .map(TypeCodec::readType).toList());
            case UNDEFINED -> throw new ModelFormatException("attribute '" + p.getName() + "' has no type");
        };
    }

    /** IR version 1 files did not write the type; find the one value field that is set. */
    private static AttributeType inferType(Onnx.AttributeProto p) {
        if (p.hasF()) {
            return AttributeType.FLOAT;
        } else if (p.hasI()) {
            return AttributeType.INT;
        } else if (p.hasS()) {
            return AttributeType.STRING;
        } else if (p.hasT()) {
            return AttributeType.TENSOR;
        } else if (p.hasG()) {
            return AttributeType.GRAPH;
        } else if (p.getFloatsCount() > 0) {
            return AttributeType.FLOATS;
        } else if (p.getIntsCount() > 0) {
            return AttributeType.INTS;
        } else if (p.getStringsCount() > 0) {
            return AttributeType.STRINGS;
        } else if (p.getTensorsCount() > 0) {
            return AttributeType.TENSORS;
        } else if (p.getGraphsCount() > 0) {
            return AttributeType.GRAPHS;
        }
        throw new ModelFormatException("attribute '" + p.getName() + "' has neither a type nor a value");
    }

    static Onnx.AttributeProto write(Attribute a, ProtoWriter writer) {
        Onnx.AttributeProto.Builder b = Onnx.AttributeProto.newBuilder();
        if (a.name() != null) {
            b.setName(a.name());
        }
        if (a.docString() != null) {
            b.setDocString(a.docString());
        }
        if (a.declaredType()) {
            b.setType(Onnx.AttributeProto.AttributeType.forNumber(a.type().code()));
        }
        TensorWriter tw = writer.tensors();
        switch (a.value()) {
            case AttributeValue.Reference r -> b.setRefAttrName(r.refName());
            case AttributeValue.FloatValue f -> b.setF(f.value());
            case AttributeValue.IntValue i -> b.setI(i.value());
            case AttributeValue.StringValue s -> b.setS(ByteString.copyFrom(s.value()));
            case AttributeValue.TensorValue t -> b.setT(tw.write(t.value(), false));
            case AttributeValue.GraphValue g -> b.setG(writer.writeGraph(g.value()));
            case AttributeValue.SparseTensorValue s -> b.setSparseTensor(tw.writeSparse(s.value()));
            case AttributeValue.TypeValue t -> b.setTp(TypeCodec.writeType(t.value()));
            case AttributeValue.FloatsValue fs -> {
                for (float f : fs.value()) {
                    b.addFloats(f);
                }
            }
            case AttributeValue.IntsValue is -> {
                for (long i : is.value()) {
                    b.addInts(i);
                }
            }
            case AttributeValue.StringsValue ss -> ss.value().forEach(s -> b.addStrings(ByteString.copyFrom(s)));
            case AttributeValue.TensorsValue ts -> ts.value().forEach(t -> b.addTensors(tw.write(t, false)));
            case AttributeValue.GraphsValue gs -> gs.value().forEach(g -> b.addGraphs(writer.writeGraph(g)));
            case AttributeValue.SparseTensorsValue ss -> ss.value().forEach(s -> b.addSparseTensors(tw.writeSparse(s)));
            case AttributeValue.TypesValue ts -> ts.value().forEach(t -> b.addTypeProtos(TypeCodec.writeType(t)));
        }
        TensorWriter.mergeUnknown(b, a.unknownFields());
        return b.build();
    }
}
