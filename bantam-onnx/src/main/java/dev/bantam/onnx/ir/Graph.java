package dev.bantam.onnx.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * A computation graph: inputs, outputs, initializers and nodes in execution order. Nodes form a linked list,
 * so inserting and removing a node costs O(1). A subgraph (If branch, Loop or Scan body) knows the node
 * that owns it and may read values of enclosing graphs.
 */
public final class Graph implements Iterable<Node> {

    private String name;
    private String docString;
    private List<KeyValue> metadata = List.of();
    private OpaqueMessage unknownFields;
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final Map<String, Value> initializers = new LinkedHashMap<>();
    private final List<Value> sparseInitializers = new ArrayList<>();
    private final List<Value> valueInfos = new ArrayList<>();
    private final List<TensorAnnotation> quantizationAnnotations = new ArrayList<>();
    private Node first;
    /** See {@link #names()}; null until first needed. */
    private Map<String, Integer> nameCounts;
    private Node last;
    private int nodeCount;
    private Node parentNode;

    public Graph(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
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

    public OpaqueMessage unknownFields() {
        return unknownFields;
    }

    public void setUnknownFields(OpaqueMessage unknownFields) {
        this.unknownFields = unknownFields;
    }

    /** The node whose attribute holds this graph; null for a model's main graph or a function body. */
    public Node parentNode() {
        return parentNode;
    }

    void setParentNode(Node node) {
        this.parentNode = node;
    }

    /** The graph enclosing this one, or null. */
    public Graph parentGraph() {
        return parentNode == null ? null : parentNode.graph();
    }

    public List<Value> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    public void addInput(Value v) {
        v.setGraph(this);
        inputs.add(v);
        nameAdded(v.name());
    }

    public void addOutput(Value v) {
        outputs.add(v);
    }

    public void removeOutput(Value v) {
        outputs.remove(v);
    }

    /** Removes every output in {@code values} (by identity), in one pass over the outputs. */
    public void removeOutputs(java.util.Collection<Value> values) {
        java.util.Set<Value> gone = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        gone.addAll(values);
        outputs.removeIf(gone::contains);
    }

    /**
     * Makes {@code replacement} this graph's output in place of {@code old}, under {@code old}'s name (the name
     * the model's users ask for); {@code old} is renamed to a fresh {@code name + suffix}. Readers of {@code old}
     * are left as they are (see {@link Value#replaceKeepingOutputName} to move them too).
     */
    public void replaceOutputKeepingName(Value old, Value replacement, String suffix) {
        if (!outputs.contains(old)) {
            throw new IllegalArgumentException("'" + old.name() + "' is not an output of graph '" + name + "'");
        }
        replaceOutput(old, replacement);
        String kept = old.name();
        old.setName(uniqueName(kept + suffix));
        replacement.setName(kept);
    }

    void replaceOutput(Value old, Value replacement) {
        outputs.replaceAll(v -> v == old ? replacement : v);
    }

    /** Initializers in file order. */
    public List<Value> initializers() {
        return List.copyOf(initializers.values());
    }

    public Value initializer(String valueName) {
        return initializers.get(valueName);
    }

    /** Adds {@code tensor} as an initializer on {@code value} (which may also be a graph input). */
    public Value addInitializer(Value value, Tensor tensor) {
        value.setGraph(this);
        value.setInitializer(tensor);
        Value before = initializers.put(value.name(), value);
        if (before != null) {
            nameRemoved(before.name());
        }
        nameAdded(value.name());
        return value;
    }

    /** Creates a value named like {@code tensor} holding it as an initializer. */
    public Value addInitializer(Tensor tensor) {
        return addInitializer(new Value(tensor.name(), ValueType.tensor(tensor.dataType(),
                Shape.of(tensor.dims()))), tensor);
    }

    /** Replaces the tensor held by an initializer value. */
    public void setInitializer(Value value, Tensor tensor) {
        if (initializers.get(value.name()) != value) {
            throw new IllegalArgumentException("'" + value.name() + "' is not an initializer of this graph");
        }
        value.setInitializer(tensor);
    }

    /** Removes an initializer; the value must have no uses and not be a graph output. */
    public void removeInitializer(Value value) {
        if (!value.uses().isEmpty() || outputs.contains(value)) {
            throw new IllegalStateException("initializer '" + value.name() + "' is still used");
        }
        initializers.remove(value.name());
        nameRemoved(value.name());
        value.setInitializer(null);
    }

    public List<Value> sparseInitializers() {
        return Collections.unmodifiableList(sparseInitializers);
    }

    public void addSparseInitializer(Value value, SparseTensor tensor) {
        value.setGraph(this);
        value.setSparseInitializer(tensor);
        sparseInitializers.add(value);
        nameAdded(value.name());
    }

    /** Values listed in the graph's value_info, in order. */
    public List<Value> valueInfos() {
        return Collections.unmodifiableList(valueInfos);
    }

    public void addValueInfo(Value v) {
        valueInfos.add(v);
    }

    public void clearValueInfos() {
        valueInfos.clear();
    }

    public List<TensorAnnotation> quantizationAnnotations() {
        return Collections.unmodifiableList(quantizationAnnotations);
    }

    public void addQuantizationAnnotation(TensorAnnotation a) {
        quantizationAnnotations.add(a);
    }

    public int nodeCount() {
        return nodeCount;
    }

    /** A snapshot of the nodes in order. */
    public List<Node> nodes() {
        List<Node> out = new ArrayList<>(nodeCount);
        for (Node n = first; n != null; n = n.next) {
            out.add(n);
        }
        return out;
    }

    @Override
    public Iterator<Node> iterator() {
        return new Iterator<>() {
            private Node cursor = first;

            public boolean hasNext() {
                return cursor != null;
            }

            public Node next() {
                if (cursor == null) {
                    throw new NoSuchElementException();
                }
                Node n = cursor;
                cursor = cursor.next;
                return n;
            }
        };
    }

    public Node append(Node node) {
        claim(node);
        node.prev = last;
        if (last == null) {
            first = node;
        } else {
            last.next = node;
        }
        last = node;
        nodeCount++;
        return node;
    }

    public Node insertBefore(Node anchor, Node node) {
        requireMember(anchor);
        claim(node);
        node.next = anchor;
        node.prev = anchor.prev;
        if (anchor.prev == null) {
            first = node;
        } else {
            anchor.prev.next = node;
        }
        anchor.prev = node;
        nodeCount++;
        return node;
    }

    public Node insertAfter(Node anchor, Node node) {
        requireMember(anchor);
        if (anchor.next == null) {
            return append(node);
        }
        return insertBefore(anchor.next, node);
    }

    /**
     * Removes a node and disconnects it from its inputs. With {@code safe}, refuses when an output is still
     * used or is a graph output.
     */
    public void remove(Node node, boolean safe) {
        requireMember(node);
        if (safe) {
            for (Value out : node.outputs()) {
                if (out != null && (!out.uses().isEmpty() || outputs.contains(out))) {
                    throw new IllegalStateException("cannot remove " + node + ": output '" + out.name()
                            + "' is still used");
                }
            }
        }
        if (node.prev == null) {
            first = node.next;
        } else {
            node.prev.next = node.next;
        }
        if (node.next == null) {
            last = node.prev;
        } else {
            node.next.prev = node.prev;
        }
        node.prev = null;
        node.next = null;
        node.graph = null;
        for (Value out : node.outputs()) {
            if (out != null) {
                nameRemoved(out.name());
            }
        }
        node.detachInputs();
        nodeCount--;
    }

    /**
     * {@code base}, or {@code base_N} with the smallest N, such that no input, initializer or node output of this
     * graph or an enclosing graph has that name. For naming values a rewrite adds.
     */
    public String uniqueName(String base) {
        String name = base;
        for (int i = 1; isNameUsed(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    /** Whether an input, initializer or node output of this graph itself (not of its subgraphs) bears {@code name}. */
    public boolean hasName(String name) {
        return names().containsKey(name);
    }

    private boolean isNameUsed(String name) {
        for (Graph x = this; x != null; x = x.parentGraph()) {
            if (x.names().containsKey(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * How many inputs, initializers and node outputs of this graph bear each name: built on the first
     * {@link #uniqueName} call and kept up to date by every change that adds, removes or renames a value, so a
     * lookup costs O(1) and a rewrite that adds k values to a graph of n nodes costs O(n + k), not O(n·k).
     */
    private Map<String, Integer> names() {
        if (nameCounts == null) {
            Map<String, Integer> m = new HashMap<>();
            inputs.forEach(v -> m.merge(v.name(), 1, Integer::sum));
            initializers.keySet().forEach(n -> m.merge(n, 1, Integer::sum));
            sparseInitializers.forEach(v -> m.merge(v.name(), 1, Integer::sum));
            for (Node n = first; n != null; n = n.next) {
                for (Value v : n.outputs()) {
                    if (v != null) {
                        m.merge(v.name(), 1, Integer::sum);
                    }
                }
            }
            nameCounts = m;
        }
        return nameCounts;
    }

    /** How many of this graph's inputs, initializers, sparse initializers and node outputs {@code v} is. */
    int roles(Value v) {
        int k = v.producer() != null && v.producer().graph() == this ? 1 : 0;
        for (Value in : inputs) {
            k += in == v ? 1 : 0;
        }
        k += initializers.get(v.name()) == v ? 1 : 0;
        for (Value sp : sparseInitializers) {
            k += sp == v ? 1 : 0;
        }
        return k;
    }

    void nameAdded(String name) {
        if (nameCounts != null && name != null) {
            nameCounts.merge(name, 1, Integer::sum);
        }
    }

    void nameRemoved(String name) {
        if (nameCounts != null && name != null) {
            nameCounts.computeIfPresent(name, (k, c) -> c == 1 ? null : c - 1);
        }
    }

    /** Visits every node of this graph and, depth first, of its subgraphs. */
    public void forEachNodeRecursive(Consumer<Node> visitor) {
        for (Node n = first; n != null; n = n.next) {
            visitor.accept(n);
            for (Graph g : n.subgraphs()) {
                g.forEachNodeRecursive(visitor);
            }
        }
    }

    /** This graph and all graphs nested in it. */
    public List<Graph> graphsRecursive() {
        List<Graph> out = new ArrayList<>();
        out.add(this);
        for (Node n = first; n != null; n = n.next) {
            for (Graph g : n.subgraphs()) {
                out.addAll(g.graphsRecursive());
            }
        }
        return out;
    }

    private void claim(Node node) {
        if (node.graph != null) {
            throw new IllegalStateException(node + " already belongs to a graph");
        }
        node.graph = this;
        for (Value out : node.outputs()) {
            if (out != null) {
                out.setGraph(this);
                nameAdded(out.name());
            }
        }
    }

    private void requireMember(Node node) {
        if (node.graph != this) {
            throw new IllegalArgumentException(node + " is not in graph '" + name + "'");
        }
    }

    @Override
    public String toString() {
        return "Graph(" + name + ", " + nodeCount + " nodes)";
    }
}
