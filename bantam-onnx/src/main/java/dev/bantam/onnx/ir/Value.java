package dev.bantam.onnx.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A named value of a graph: a graph input, an initializer, or a node's output. The IR keeps its producer
 * and its uses up to date; edit them only through {@link Node#replaceInput}, {@link #replaceAllUsesWith}
 * and the {@link Graph} methods.
 */
public final class Value {

    private String name;
    private ValueType type;
    private String docString;
    private List<KeyValue> metadata = List.of();
    private Node producer;
    private int outputIndex = -1;
    private Graph graph;
    private Tensor initializer;
    private SparseTensor sparseInitializer;
    private final List<Usage> uses = new ArrayList<>();

    public Value(String name) {
        this.name = name;
    }

    public Value(String name, ValueType type) {
        this.name = name;
        this.type = type;
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        int roles = graph == null ? 0 : graph.roles(this);
        for (int i = 0; i < roles; i++) {
            graph.nameRemoved(this.name);
            graph.nameAdded(name);
        }
        this.name = name;
    }

    /** The declared or inferred type; null when unknown. */
    public ValueType type() {
        return type;
    }

    public void setType(ValueType type) {
        this.type = type;
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

    /** The node that computes this value, or null for graph inputs, initializers and undefined names. */
    public Node producer() {
        return producer;
    }

    public int outputIndex() {
        return outputIndex;
    }

    /** The graph that defines this value; null for a name no graph defines (which the checker reports). */
    public Graph graph() {
        return graph;
    }

    /** Every (node, input index) that reads this value, in the order they were connected. */
    public List<Usage> uses() {
        return Collections.unmodifiableList(uses);
    }

    public boolean isGraphInput() {
        return graph != null && graph.inputs().contains(this);
    }

    public boolean isGraphOutput() {
        return graph != null && graph.outputs().contains(this);
    }

    /** The initializer tensor, or null. */
    public Tensor initializer() {
        return initializer;
    }

    public SparseTensor sparseInitializer() {
        return sparseInitializer;
    }

    /** True when this value is defined: by a node, as a graph input, or as an initializer. */
    public boolean isDefined() {
        return producer != null || initializer != null || sparseInitializer != null || isGraphInput();
    }

    /**
     * The constant this value holds, whichever way the model stores it: an initializer that no graph input
     * overrides, or the output of a Constant node. Techniques read weights through this method.
     */
    public Optional<Tensor> constantValue() {
        if (initializer != null) {
            return isGraphInput() ? Optional.empty() : Optional.of(initializer);
        }
        if (producer != null && producer.isStandard("Constant")) {
            return ConstantNodes.valueOf(producer);
        }
        return Optional.empty();
    }

    /**
     * Makes every user of this value read {@code replacement} instead; graph outputs are replaced too when
     * {@code includeGraphOutputs} is set.
     */
    public void replaceAllUsesWith(Value replacement, boolean includeGraphOutputs) {
        for (Usage u : List.copyOf(uses)) {
            u.node().replaceInput(u.index(), replacement);
        }
        if (includeGraphOutputs && graph != null) {
            graph.replaceOutput(this, replacement);
        }
    }

    /**
     * Makes {@code replacement} stand for this value everywhere: every reader reads it instead and, where this
     * value is a graph output, the replacement takes its position and its name (the name the model's users ask
     * for), while this value is renamed to a fresh {@code name + suffix}. The one way a rewrite replaces a value
     * without changing the model's interface.
     */
    public void replaceKeepingOutputName(Value replacement, String suffix) {
        replaceAllUsesWith(replacement, false);
        if (isGraphOutput()) {
            graph.replaceOutputKeepingName(this, replacement, suffix);
        }
    }

    void addUse(Node node, int index) {
        uses.add(new Usage(node, index));
    }

    void removeUse(Node node, int index) {
        for (int i = 0; i < uses.size(); i++) {
            Usage u = uses.get(i);
            if (u.node() == node && u.index() == index) {
                uses.remove(i);
                return;
            }
        }
    }

    void setProducer(Node node, int index) {
        this.producer = node;
        this.outputIndex = index;
    }

    void setGraph(Graph graph) {
        this.graph = graph;
    }

    void setInitializer(Tensor tensor) {
        this.initializer = tensor;
    }

    void setSparseInitializer(SparseTensor tensor) {
        this.sparseInitializer = tensor;
    }

    @Override
    public String toString() {
        return "Value(" + name + (type == null ? "" : ": " + type) + ")";
    }
}
