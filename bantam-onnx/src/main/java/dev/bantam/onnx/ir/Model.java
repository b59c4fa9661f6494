package dev.bantam.onnx.ir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * An ONNX model: its main graph, the operator sets it imports, model-local functions and metadata. Fields
 * Bantam does not interpret (training information, device configurations, fields of newer ONNX versions)
 * are carried as opaque bytes and written back unchanged.
 */
public final class Model {

    private Long irVersion;
    private final List<OpsetId> opsetImports = new ArrayList<>();
    private String producerName;
    private String producerVersion;
    private String domain;
    private Long modelVersion;
    private String docString;
    private Graph graph;
    private List<KeyValue> metadata = new ArrayList<>();
    private final List<Function> functions = new ArrayList<>();
    private List<OpaqueMessage> trainingInfo = List.of();
    private List<OpaqueMessage> deviceConfigurations = List.of();
    private OpaqueMessage unknownFields;
    private Path source;

    public Model(Graph graph) {
        this.graph = graph;
    }

    public Graph graph() {
        return graph;
    }

    public void setGraph(Graph graph) {
        this.graph = graph;
    }

    /** The IR version, or null when the file omits it. */
    public Long irVersion() {
        return irVersion;
    }

    public void setIrVersion(Long irVersion) {
        this.irVersion = irVersion;
    }

    public List<OpsetId> opsetImports() {
        return opsetImports;
    }

    /** The imported version of {@code domain} ("" for ai.onnx), if imported. */
    public OptionalLong opsetVersion(String opsetDomain) {
        String d = OpsetId.normalize(opsetDomain);
        return opsetImports.stream().filter(o -> o.normalizedDomain().equals(d))
                .mapToLong(OpsetId::version).findFirst();
    }

    public String producerName() {
        return producerName;
    }

    public void setProducerName(String producerName) {
        this.producerName = producerName;
    }

    public String producerVersion() {
        return producerVersion;
    }

    public void setProducerVersion(String producerVersion) {
        this.producerVersion = producerVersion;
    }

    public String domain() {
        return domain;
    }

    public void setDomain(String domain) {
        this.domain = domain;
    }

    public Long modelVersion() {
        return modelVersion;
    }

    public void setModelVersion(Long modelVersion) {
        this.modelVersion = modelVersion;
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String docString) {
        this.docString = docString;
    }

    /** metadata_props, in order; mutable. */
    public List<KeyValue> metadata() {
        return metadata;
    }

    /** Sets a metadata entry, replacing one with the same key. */
    public void putMetadata(String key, String value) {
        metadata.removeIf(kv -> key.equals(kv.key()));
        metadata.add(new KeyValue(key, value));
    }

    /** Model-local functions; mutable. */
    public List<Function> functions() {
        return functions;
    }

    public List<OpaqueMessage> trainingInfo() {
        return trainingInfo;
    }

    public void setTrainingInfo(List<OpaqueMessage> trainingInfo) {
        this.trainingInfo = List.copyOf(trainingInfo);
    }

    public List<OpaqueMessage> deviceConfigurations() {
        return deviceConfigurations;
    }

    public void setDeviceConfigurations(List<OpaqueMessage> configs) {
        this.deviceConfigurations = List.copyOf(configs);
    }

    public OpaqueMessage unknownFields() {
        return unknownFields;
    }

    public void setUnknownFields(OpaqueMessage unknownFields) {
        this.unknownFields = unknownFields;
    }

    /** The file this model was loaded from, or null for a model built in code. */
    public Path source() {
        return source;
    }

    public void setSource(Path source) {
        this.source = source;
    }

    /** Every tensor constant of the model: initializers of all graphs and tensor attributes of all nodes. */
    public List<Tensor> tensorsRecursive() {
        List<Tensor> out = new ArrayList<>();
        List<Graph> graphs = new ArrayList<>(graph.graphsRecursive());
        for (Function f : functions) {
            graphs.addAll(f.body().graphsRecursive());
        }
        for (Graph g : graphs) {
            for (Value v : g.initializers()) {
                out.add(v.initializer());
            }
            for (Node n : g) {
                for (Attribute a : n.attributes()) {
                    switch (a.value()) {
                        case AttributeValue.TensorValue t -> out.add(t.value());
                        case AttributeValue.TensorsValue ts -> out.addAll(ts.value());
                        default -> { }
                    }
                }
            }
        }
        return out;
    }
}
