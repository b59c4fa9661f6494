package dev.bantam.compress;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A few connected nodes of a model cut out as a model of their own, to time a layer alone: constants they read
 * become initializers, other values they read become inputs of the shapes the layer saw (from
 * {@link CompressionContext#shapes}), and values nothing else in the piece reads become outputs. The source
 * model is not changed; weights are shared, not copied.
 */
public final class ModelPiece {

    private ModelPiece() {
    }

    /**
     * The piece of {@code model} made of {@code nodes} (in graph order, standard operators without subgraphs).
     *
     * @param shapes the shape of every value the piece reads that is not a constant
     * @throws IllegalArgumentException when a node is not standard, has a subgraph, or an input's shape is unknown
     */
    public static Model cut(Model model, List<Node> nodes, Map<String, long[]> shapes) {
        Graph g = new Graph("piece");
        Map<Value, Value> copies = new HashMap<>();
        Set<Value> produced = new HashSet<>();
        nodes.forEach(n -> n.outputs().stream().filter(v -> v != null).forEach(produced::add));
        for (Node n : nodes) {
            if (!n.normalizedDomain().isEmpty() || !n.subgraphs().isEmpty()) {
                throw new IllegalArgumentException("cannot time " + n.displayName() + " alone: only standard operators "
                        + "without subgraphs are cut out");
            }
            List<Value> inputs = n.inputs().stream().map(v -> v == null ? null : copies.computeIfAbsent(v,
                    x -> outside(g, x, shapes))).toList();
            Node copy = g.append(new Node("", n.opType(), inputs,
                    n.outputs().stream().map(v -> v == null ? "" : v.name()).toList(), n.attributes()));
            for (int i = 0; i < n.outputs().size(); i++) {
                if (n.output(i) != null) {
                    copies.put(n.output(i), copy.output(i));
                }
            }
        }
        for (Node n : nodes) {
            for (Value v : n.outputs()) {
                if (v != null && v.uses().stream().noneMatch(u -> nodes.contains(u.node()))) {
                    g.addOutput(copies.get(v));
                }
            }
        }
        Model piece = new Model(g);
        piece.setIrVersion(model.irVersion());
        for (OpsetId o : model.opsetImports()) {
            piece.opsetImports().add(o);
        }
        return piece;
    }

    private static Value outside(Graph g, Value v, Map<String, long[]> shapes) {
        Optional<Tensor> constant = v.constantValue();
        if (constant.isPresent()) {
            return g.addInitializer(constant.get().withName(v.name()));
        }
        long[] dims = shapes.get(v.name());
        if (dims == null) {
            throw new IllegalArgumentException("cannot time the layer reading '" + v.name() + "': its shape is unknown");
        }
        DataType type = v.type() instanceof ValueType.TensorType t ? t.elementType() : DataType.FLOAT;
        Value in = new Value(v.name(), new ValueType.TensorType(type, Shape.of(dims), null));
        g.addInput(in);
        return in;
    }
}
