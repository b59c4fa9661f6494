package dev.bantam.train.student;

import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Usage;
import dev.bantam.onnx.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repeated blocks of a graph (transformer layers, residual stages), found by the layer index exporters put in
 * node and value names ({@code /encoder/layer.3/...}, {@code layers.3}, {@code h.3}, {@code blocks.3}), with the
 * one value each block reads from the residual stream and the one value it hands on.
 */
public final class Blocks {

    private static final Pattern INDEX = Pattern.compile("(^|.*?[/.])(layer|layers|h|blocks|block)[._/](\\d+)(?=[/._])");

    /** One block: its index, its nodes, the stream value it reads and the value it produces for what follows. */
    public record Block(int index, List<Node> nodes, Value input, Value output) {
    }

    private Blocks() {
    }

    /** The blocks of the largest family of indexed names (at least two), in index order; refuses what is not a chain. */
    public static List<Block> of(Graph g) {
        Map<String, TreeMap<Integer, List<Node>>> families = new LinkedHashMap<>();
        for (Node n : g.nodes()) {
            String name = n.name() != null && !n.name().isEmpty() ? n.name()
                    : n.outputs().isEmpty() || n.output(0) == null ? "" : n.output(0).name();
            Matcher m = INDEX.matcher(name);
            if (m.lookingAt()) {
                String family = m.group(1) + m.group(2);
                families.computeIfAbsent(family, k -> new TreeMap<>())
                        .computeIfAbsent(Integer.parseInt(m.group(3)), k -> new ArrayList<>()).add(n);
            }
        }
        TreeMap<Integer, List<Node>> best = families.values().stream().max(java.util.Comparator.comparingInt(Map::size))
                .orElse(null);
        if (best == null || best.size() < 2) {
            throw new IllegalArgumentException("no repeated layers found: no node names carry a layer index "
                    + "(like /encoder/layer.3/ or layers.3)");
        }
        Map<Value, Set<Integer>> readers = new HashMap<>();
        best.forEach((i, nodes) -> nodes.forEach(n -> n.inputs().forEach(v -> {
            if (v != null) {
                readers.computeIfAbsent(v, k -> new HashSet<>()).add(i);
            }
        })));
        List<Block> out = new ArrayList<>();
        for (Map.Entry<Integer, List<Node>> e : best.entrySet()) {
            out.add(block(e.getKey(), e.getValue(), readers));
        }
        for (int k = 1; k < out.size(); k++) {
            if (out.get(k).input() != out.get(k - 1).output()) {
                throw new IllegalArgumentException("layer " + out.get(k).index() + " does not read layer "
                        + out.get(k - 1).index() + "'s output: the layers are not one chain");
            }
        }
        return out;
    }

    private static Block block(int index, List<Node> nodes, Map<Value, Set<Integer>> readers) {
        Set<Node> inside = new HashSet<>(nodes);
        List<Value> outputs = new ArrayList<>();
        List<Value> inputs = new ArrayList<>();
        for (Node n : nodes) {
            for (Value v : n.outputs()) {
                if (v != null && (v.isGraphOutput() || v.uses().stream().map(Usage::node).anyMatch(u -> !inside.contains(u)))) {
                    outputs.add(v);
                }
            }
            for (Value v : n.inputs()) {
                boolean external = v != null && (v.producer() == null ? v.initializer() == null && v.isGraphInput()
                        : !inside.contains(v.producer()) && !v.producer().opType().equals("Constant"));
                if (external && readers.get(v).size() == 1 && !inputs.contains(v)) {
                    inputs.add(v);
                }
            }
        }
        if (outputs.size() != 1 || inputs.size() != 1) {
            throw new IllegalArgumentException("layer " + index + " reads " + names(inputs) + " and hands on "
                    + names(outputs) + ": a droppable layer reads one stream value and produces one");
        }
        return new Block(index, List.copyOf(nodes), inputs.get(0), outputs.get(0));
    }

    private static List<String> names(List<Value> vs) {
        return vs.stream().map(Value::name).toList();
    }
}
