package dev.bantam.onnx.ir.serde;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.Function;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.KeyValue;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpaqueMessage;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.TensorAnnotation;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.serde.proto.Onnx;
import java.util.List;

/** Builds protobuf messages from the IR. */
final class ProtoWriter {

    private final TensorWriter tensors;

    ProtoWriter(TensorPlacement placement) {
        this.tensors = new TensorWriter(placement);
    }

    TensorWriter tensors() {
        return tensors;
    }

    Onnx.ModelProto writeModel(Model m) {
        Onnx.ModelProto.Builder b = Onnx.ModelProto.newBuilder();
        if (m.irVersion() != null) {
            b.setIrVersion(m.irVersion());
        }
        b.addAllOpsetImport(opsets(m.opsetImports()));
        if (m.producerName() != null) {
            b.setProducerName(m.producerName());
        }
        if (m.producerVersion() != null) {
            b.setProducerVersion(m.producerVersion());
        }
        if (m.domain() != null) {
            b.setDomain(m.domain());
        }
        if (m.modelVersion() != null) {
            b.setModelVersion(m.modelVersion());
        }
        LargeDocs.write(m.docString(), b, b::setDocString, tensors.splices());
        b.setGraph(writeGraph(m.graph()));
        b.addAllMetadataProps(entries(m.metadata()));
        for (OpaqueMessage t : m.trainingInfo()) {
            b.addTrainingInfo(parse(Onnx.TrainingInfoProto.parser(), t));
        }
        for (Function f : m.functions()) {
            b.addFunctions(writeFunction(f));
        }
        for (OpaqueMessage c : m.deviceConfigurations()) {
            b.addConfiguration(parse(Onnx.DeviceConfigurationProto.parser(), c));
        }
        TensorWriter.mergeUnknown(b, m.unknownFields());
        return b.build();
    }

    Onnx.GraphProto writeGraph(Graph g) {
        Onnx.GraphProto.Builder b = Onnx.GraphProto.newBuilder();
        for (Node n : g) {
            b.addNode(writeNode(n));
        }
        if (g.name() != null) {
            b.setName(g.name());
        }
        for (Value v : g.initializers()) {
            b.addInitializer(tensors.write(v.initializer(), true));
        }
        for (Value v : g.sparseInitializers()) {
            b.addSparseInitializer(tensors.writeSparse(v.sparseInitializer()));
        }
        LargeDocs.write(g.docString(), b, b::setDocString, tensors.splices());
        g.inputs().forEach(v -> b.addInput(TypeCodec.writeValueInfo(v)));
        g.outputs().forEach(v -> b.addOutput(TypeCodec.writeValueInfo(v)));
        g.valueInfos().forEach(v -> b.addValueInfo(TypeCodec.writeValueInfo(v)));
        for (TensorAnnotation a : g.quantizationAnnotations()) {
            Onnx.TensorAnnotation.Builder ab = Onnx.TensorAnnotation.newBuilder()
                    .addAllQuantParameterTensorNames(entries(a.quantParameterTensorNames()));
            if (a.tensorName() != null) {
                ab.setTensorName(a.tensorName());
            }
            b.addQuantizationAnnotation(ab);
        }
        b.addAllMetadataProps(entries(g.metadata()));
        TensorWriter.mergeUnknown(b, g.unknownFields());
        return b.build();
    }

    private Onnx.NodeProto writeNode(Node n) {
        Onnx.NodeProto.Builder b = Onnx.NodeProto.newBuilder();
        n.inputs().forEach(v -> b.addInput(v == null ? "" : v.name()));
        n.outputs().forEach(v -> b.addOutput(v == null ? "" : v.name()));
        if (n.name() != null) {
            b.setName(n.name());
        }
        b.setOpType(n.opType());
        if (n.domain() != null) {
            b.setDomain(n.domain());
        }
        if (n.overload() != null) {
            b.setOverload(n.overload());
        }
        for (Attribute a : n.attributes()) {
            b.addAttribute(AttributeCodec.write(a, this));
        }
        LargeDocs.write(n.docString(), b, b::setDocString, tensors.splices());
        b.addAllMetadataProps(entries(n.metadata()));
        for (OpaqueMessage c : n.deviceConfigurations()) {
            b.addDeviceConfigurations(parse(Onnx.NodeDeviceConfigurationProto.parser(), c));
        }
        TensorWriter.mergeUnknown(b, n.unknownFields());
        return b.build();
    }

    private Onnx.FunctionProto writeFunction(Function f) {
        Onnx.FunctionProto.Builder b = Onnx.FunctionProto.newBuilder().setName(f.name());
        f.body().inputs().forEach(v -> b.addInput(v.name()));
        f.body().outputs().forEach(v -> b.addOutput(v.name()));
        b.addAllAttribute(f.attributeNames());
        f.attributeDefaults().forEach(a -> b.addAttributeProto(AttributeCodec.write(a, this)));
        for (Node n : f.body()) {
            b.addNode(writeNode(n));
        }
        if (f.docString() != null) {
            b.setDocString(f.docString());
        }
        b.addAllOpsetImport(opsets(f.opsetImports()));
        if (f.domain() != null) {
            b.setDomain(f.domain());
        }
        if (f.overload() != null) {
            b.setOverload(f.overload());
        }
        f.body().valueInfos().forEach(v -> b.addValueInfo(TypeCodec.writeValueInfo(v)));
        b.addAllMetadataProps(entries(f.metadata()));
        TensorWriter.mergeUnknown(b, f.unknownFields());
        return b.build();
    }

    static List<Onnx.OperatorSetIdProto> opsets(List<OpsetId> list) {
        return list.stream().map(o -> {
            Onnx.OperatorSetIdProto.Builder b = Onnx.OperatorSetIdProto.newBuilder().setVersion(o.version());
            if (o.domain() != null) {
                b.setDomain(o.domain());
            }
            return b.build();
        }).toList();
    }

    static List<Onnx.StringStringEntryProto> entries(List<KeyValue> list) {
        return list.stream().map(kv -> {
            Onnx.StringStringEntryProto.Builder b = Onnx.StringStringEntryProto.newBuilder();
            if (kv.key() != null) {
                b.setKey(kv.key());
            }
            if (kv.value() != null) {
                b.setValue(kv.value());
            }
            return b.build();
        }).toList();
    }

    private static <T> T parse(com.google.protobuf.Parser<T> parser, OpaqueMessage m) {
        try {
            return parser.parseFrom(m.bytes());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt preserved message", e);
        }
    }
}
