package dev.bantam.onnx.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * An operator application. A node owns its output values, so every value has one producer. Absent optional
 * inputs and outputs (written "" in ONNX) are null entries.
 */
public final class Node {

    private String domain;
    private String opType;
    private String name;
    private String overload;
    private String docString;
    private List<KeyValue> metadata = List.of();
    private List<OpaqueMessage> deviceConfigurations = List.of();
    private OpaqueMessage unknownFields;
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final List<Attribute> attributes = new ArrayList<>();
    Graph graph;
    Node prev;
    Node next;

    /**
     * A node reading {@code inputs} (null for an absent optional input) and producing new values named
     * {@code outputNames} ("" for an absent optional output).
     */
    public Node(String domain, String opType, List<Value> inputs, List<String> outputNames,
                List<Attribute> attributes) {
        this.domain = domain;
        this.opType = opType;
        for (Value v : inputs) {
            appendInput(v);
        }
        for (String outName : outputNames) {
            if (outName.isEmpty()) {
                outputs.add(null);
            } else {
                Value v = new Value(outName);
                v.setProducer(this, outputs.size());
                outputs.add(v);
            }
        }
        for (Attribute a : attributes) {
            setAttribute(a);
        }
    }

    /** A node of the default ai.onnx domain. */
    public static Node of(String opType, List<Value> inputs, List<String> outputNames, Attribute... attributes) {
        return new Node("", opType, inputs, outputNames, List.of(attributes));
    }

    /** The domain as written; null when the file left it out (the default domain). */
    public String domain() {
        return domain;
    }

    public void setDomain(String domain) {
        this.domain = domain;
    }

    /** The domain with the default domain as "". */
    public String normalizedDomain() {
        return OpsetId.normalize(domain);
    }

    public String opType() {
        return opType;
    }

    /**
     * Renames the operator, for conversions where one operator replaced another with the same inputs, outputs and
     * meaning (Scatter by ScatterElements, Upsample by Resize).
     */
    public void setOpType(String opType) {
        this.opType = opType;
    }

    /** True for {@code opType} of the default ONNX domain. */
    public boolean isStandard(String op) {
        return opType.equals(op) && normalizedDomain().isEmpty();
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    /** The node's name, or a description that finds it when the name is absent. */
    public String displayName() {
        if (name != null && !name.isEmpty()) {
            return name;
        }
        Value out = outputs.stream().filter(v -> v != null).findFirst().orElse(null);
        return opType + (out == null ? "" : " producing '" + out.name() + "'");
    }

    public String overload() {
        return overload;
    }

    public void setOverload(String overload) {
        this.overload = overload;
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String docString) {
        this.docString = docString;
    }

    public List<KeyValue> metadata() {
        return metadata;
    }

    public void setMetadata(List<KeyValue> metadata) {
        this.metadata = List.copyOf(metadata);
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

    public List<Value> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public Value input(int i) {
        return i < inputs.size() ? inputs.get(i) : null;
    }

    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    public Value output(int i) {
        return outputs.get(i);
    }

    /** The graph this node is in, or null when detached. */
    public Graph graph() {
        return graph;
    }

    public List<Attribute> attributes() {
        return Collections.unmodifiableList(attributes);
    }

    public Optional<Attribute> attribute(String attrName) {
        return attributes.stream().filter(a -> attrName.equals(a.name())).findFirst();
    }

    /** The value of an int attribute, or {@code dflt} when it is absent or not an int. */
    public long intAttribute(String attrName, long dflt) {
        return attribute(attrName).map(Attribute::value).filter(v -> v instanceof AttributeValue.IntValue)
                .map(v -> ((AttributeValue.IntValue) v).value()).orElse(dflt);
    }

    /** The value of a float attribute, or {@code dflt} when it is absent or not a float. */
    public float floatAttribute(String attrName, float dflt) {
        return attribute(attrName).map(Attribute::value).filter(v -> v instanceof AttributeValue.FloatValue)
                .map(v -> ((AttributeValue.FloatValue) v).value()).orElse(dflt);
    }

    /** Sets an attribute, replacing one of the same name in place. */
    public void setAttribute(Attribute a) {
        for (int i = 0; i < attributes.size(); i++) {
            if (attributes.get(i).name() != null && attributes.get(i).name().equals(a.name())) {
                attributes.set(i, a);
                adopt(a);
                return;
            }
        }
        attributes.add(a);
        adopt(a);
    }

    /** Appends an attribute even when one of the same name exists, as a malformed file may have. */
    public void appendAttributeRaw(Attribute a) {
        attributes.add(a);
        adopt(a);
    }

    public boolean removeAttribute(String attrName) {
        return attributes.removeIf(a -> attrName.equals(a.name()));
    }

    /** Subgraphs of this node's attributes (If branches, Loop and Scan bodies). */
    public List<Graph> subgraphs() {
        List<Graph> out = new ArrayList<>();
        for (Attribute a : attributes) {
            out.addAll(a.subgraphs());
        }
        return out;
    }

    /** Makes input {@code index} read {@code value}, keeping both values' use lists right. */
    public void replaceInput(int index, Value value) {
        Value old = inputs.get(index);
        if (old != null) {
            old.removeUse(this, index);
        }
        inputs.set(index, value);
        if (value != null) {
            value.addUse(this, index);
        }
    }

    public void appendInput(Value value) {
        inputs.add(value);
        if (value != null) {
            value.addUse(this, inputs.size() - 1);
        }
    }

    /** Adds an output named {@code name} after the existing ones (a control-flow node given one more body output). */
    public Value appendOutput(String name) {
        Value v = new Value(name);
        v.setProducer(this, outputs.size());
        outputs.add(v);
        if (graph != null) {
            v.setGraph(graph);
            graph.nameAdded(name);
        }
        return v;
    }

    /** Disconnects this node from its inputs; used when the node is removed. */
    void detachInputs() {
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i) != null) {
                inputs.get(i).removeUse(this, i);
            }
        }
    }

    private void adopt(Attribute a) {
        for (Graph g : a.subgraphs()) {
            g.setParentNode(this);
        }
    }

    @Override
    public String toString() {
        return "Node(" + displayName() + ")";
    }
}
