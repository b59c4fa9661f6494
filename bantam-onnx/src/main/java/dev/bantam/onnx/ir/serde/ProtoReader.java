package dev.bantam.onnx.ir.serde;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.bantam.onnx.io.ModelFormatException;
import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.Function;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.KeyValue;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpaqueMessage;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.SparseTensor;
import dev.bantam.onnx.ir.TensorAnnotation;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.serde.proto.Onnx;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** Builds the IR from parsed protobuf messages, resolving value names into use-def chains. */
final class ProtoReader {

    private final TensorReader tensors;
    private final List<MemorySegment> splices;

    ProtoReader(List<MemorySegment> splices, ExternalResolver resolver) {
        this.tensors = new TensorReader(splices, resolver);
        this.splices = splices;
    }

    Model readModel(Onnx.ModelProto p) {
        if (!p.hasGraph()) {
            throw new ModelFormatException("not an ONNX model: the file has no graph");
        }
        Model m = new Model(readGraph(p.getGraph(), new Scope(null)));
        m.setIrVersion(p.hasIrVersion() ? p.getIrVersion() : null);
        m.opsetImports().addAll(opsets(p.getOpsetImportList()));
        m.setProducerName(p.hasProducerName() ? p.getProducerName() : null);
        m.setProducerVersion(p.hasProducerVersion() ? p.getProducerVersion() : null);
        m.setDomain(p.hasDomain() ? p.getDomain() : null);
        m.setModelVersion(p.hasModelVersion() ? p.getModelVersion() : null);
        m.setDocString(LargeDocs.read(p.hasDocString(), p.hasDocString() ? p.getDocString() : null, p.getUnknownFields(), splices));
        m.metadata().addAll(keyValues(p.getMetadataPropsList()));
        for (Onnx.FunctionProto f : p.getFunctionsList()) {
            m.functions().add(readFunction(f));
        }
        m.setTrainingInfo(p.getTrainingInfoList().stream().map(t -> new OpaqueMessage(t.toByteArray())).toList());
        m.setDeviceConfigurations(p.getConfigurationList().stream()
                .map(c -> new OpaqueMessage(c.toByteArray())).toList());
        m.setUnknownFields(unknown(LargeDocs.strip(p.getUnknownFields())));
        return m;
    }

    static List<OpsetId> opsets(List<Onnx.OperatorSetIdProto> list) {
        return list.stream().map(o -> new OpsetId(o.hasDomain() ? o.getDomain() : null, o.getVersion())).toList();
    }

    static List<KeyValue> keyValues(List<Onnx.StringStringEntryProto> list) {
        return list.stream().map(e -> new KeyValue(e.hasKey() ? e.getKey() : null,
                e.hasValue() ? e.getValue() : null)).toList();
    }

    static OpaqueMessage unknown(UnknownFieldSet set) {
        return set.asMap().isEmpty() ? null : new OpaqueMessage(set.toByteArray());
    }

    Graph readGraph(Onnx.GraphProto p, Scope outer) {
        Scope scope = new Scope(outer);
        Graph g = new Graph(p.hasName() ? p.getName() : null);
        g.setDocString(LargeDocs.read(p.hasDocString(), p.hasDocString() ? p.getDocString() : null, p.getUnknownFields(), splices));
        g.setMetadata(keyValues(p.getMetadataPropsList()));
        g.setUnknownFields(unknown(LargeDocs.strip(p.getUnknownFields())));
        for (Onnx.ValueInfoProto vi : p.getInputList()) {
            Value v = new Value(vi.getName());
            TypeCodec.applyValueInfo(v, vi);
            g.addInput(v);
            scope.define(v);
        }
        for (Onnx.TensorProto tp : p.getInitializerList()) {
            var t = tensors.read(tp);
            if (g.initializer(t.name()) != null) {
                throw new ModelFormatException("not a valid ONNX model: graph '" + g.name() + "' has two initializers named '"
                        + t.name() + "'");
            }
            Value existing = g.inputs().stream().filter(v -> v.name().equals(t.name())).findFirst().orElse(null);
            Value v = g.addInitializer(existing != null ? existing : new Value(t.name()), t);
            scope.define(v);
        }
        for (Onnx.SparseTensorProto sp : p.getSparseInitializerList()) {
            SparseTensor st = tensors.readSparse(sp);
            Value v = new Value(st.values().name());
            g.addSparseInitializer(v, st);
            scope.define(v);
        }
        List<Node> nodes = new ArrayList<>(p.getNodeCount());
        for (Onnx.NodeProto np : p.getNodeList()) {
            Node n = new Node(np.hasDomain() ? np.getDomain() : null, np.getOpType(), List.of(),
                    np.getOutputList(), List.of());
            g.append(n);
            nodes.add(n);
            for (Value out : n.outputs()) {
                if (out != null) {
                    scope.define(out);
                }
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            fillNode(nodes.get(i), p.getNode(i), scope);
        }
        for (Onnx.ValueInfoProto vi : p.getOutputList()) {
            Value v = scope.resolve(vi.getName());
            TypeCodec.applyValueInfo(v, vi);
            g.addOutput(v);
        }
        for (Onnx.ValueInfoProto vi : p.getValueInfoList()) {
            Value v = scope.resolve(vi.getName());
            TypeCodec.applyValueInfo(v, vi);
            g.addValueInfo(v);
        }
        for (Onnx.TensorAnnotation a : p.getQuantizationAnnotationList()) {
            g.addQuantizationAnnotation(new TensorAnnotation(a.hasTensorName() ? a.getTensorName() : null,
                    keyValues(a.getQuantParameterTensorNamesList())));
        }
        return g;
    }

    private void fillNode(Node n, Onnx.NodeProto p, Scope scope) {
        for (String in : p.getInputList()) {
            n.appendInput(in.isEmpty() ? null : scope.resolve(in));
        }
        n.setName(p.hasName() ? p.getName() : null);
        n.setOverload(p.hasOverload() ? p.getOverload() : null);
        n.setDocString(LargeDocs.read(p.hasDocString(), p.hasDocString() ? p.getDocString() : null, p.getUnknownFields(), splices));
        n.setMetadata(keyValues(p.getMetadataPropsList()));
        n.setDeviceConfigurations(p.getDeviceConfigurationsList().stream()
                .map(c -> new OpaqueMessage(c.toByteArray())).toList());
        n.setUnknownFields(unknown(LargeDocs.strip(p.getUnknownFields())));
        for (Onnx.AttributeProto a : p.getAttributeList()) {
            n.appendAttributeRaw(readAttribute(a, scope));
        }
    }

    Attribute readAttribute(Onnx.AttributeProto p, Scope scope) {
        return new Attribute(p.getName(), AttributeCodec.readValue(p, this, scope),
                p.hasDocString() ? p.getDocString() : null, p.hasType(), unknown(p.getUnknownFields()));
    }

    TensorReader tensors() {
        return tensors;
    }

    private Function readFunction(Onnx.FunctionProto p) {
        Scope scope = new Scope(null);
        Graph body = new Graph(null);
        for (String in : p.getInputList()) {
            Value v = new Value(in);
            body.addInput(v);
            scope.define(v);
        }
        List<Node> nodes = new ArrayList<>();
        for (Onnx.NodeProto np : p.getNodeList()) {
            Node n = new Node(np.hasDomain() ? np.getDomain() : null, np.getOpType(), List.of(),
                    np.getOutputList(), List.of());
            body.append(n);
            nodes.add(n);
            n.outputs().stream().filter(v -> v != null).forEach(scope::define);
        }
        for (int i = 0; i < nodes.size(); i++) {
            fillNode(nodes.get(i), p.getNode(i), scope);
        }
        for (String out : p.getOutputList()) {
            body.addOutput(scope.resolve(out));
        }
        for (Onnx.ValueInfoProto vi : p.getValueInfoList()) {
            Value v = scope.resolve(vi.getName());
            TypeCodec.applyValueInfo(v, vi);
            body.addValueInfo(v);
        }
        List<Attribute> defaults = p.getAttributeProtoList().stream().map(a -> readAttribute(a, scope)).toList();
        return new Function(p.hasDomain() ? p.getDomain() : null, p.getName(),
                p.hasOverload() ? p.getOverload() : null, body, p.getAttributeList(), defaults,
                opsets(p.getOpsetImportList()), p.hasDocString() ? p.getDocString() : null,
                keyValues(p.getMetadataPropsList()), unknown(p.getUnknownFields()));
    }

    static byte[] bytes(ByteString s) {
        return s.toByteArray();
    }
}
