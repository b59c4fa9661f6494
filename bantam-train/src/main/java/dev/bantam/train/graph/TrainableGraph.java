package dev.bantam.train.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * An ONNX graph as a differentiable program on the PyTorch engine. Every constant tensor (initializers and
 * Constant nodes) is copied into the engine once; the weights chosen for training require gradients, the
 * running statistics of BatchNormalization are state that training mode moves, everything else is constant.
 * {@link #forward} runs the nodes in order with {@link Kernels}; {@link #writeBack} puts the trained values
 * into the model's own tensors, leaving its structure unchanged.
 *
 * <p>Each step's arrays belong to the manager the caller passes (close it after the step): constants and
 * parameters enter a step as views owned by that manager, so every result of the step is owned there too.
 */
public final class TrainableGraph implements AutoCloseable {

    private final NDManager manager;
    private final long opset;
    private final List<Node> program = new ArrayList<>();
    private final Map<String, NDArray> constants = new LinkedHashMap<>();
    private final Map<String, Node> constantNodes = new HashMap<>();
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final Map<String, NDArray> state = new LinkedHashMap<>();
    private final Map<String, Value> parameterValues = new HashMap<>();
    private final Set<String> runningVariances = new java.util.HashSet<>();
    private final List<String> inputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();

    private TrainableGraph(NDManager manager, long opset) {
        this.manager = manager;
        this.opset = opset;
    }

    /**
     * Translates {@code model}'s main graph. {@code trainable} chooses among the weights (by value name); refuses,
     * naming them, operators the engine has no translation for and graphs with control flow or other domains.
     */
    public static TrainableGraph of(Model model, Predicate<String> trainable) {
        return of(model, trainable, ai.djl.ndarray.types.DataType.FLOAT32);
    }

    /** As {@link #of(Model, Predicate)}, with float tensors held in {@code floatType} (FLOAT64 for gradient checks). */
    static TrainableGraph of(Model model, Predicate<String> trainable, ai.djl.ndarray.types.DataType floatType) {
        Graph g = model.graph();
        requireTranslatable(g);
        Torch.engine();
        TrainableGraph tg = new TrainableGraph(NDManager.newBaseManager(), model.opsetVersion("").orElse(1));
        try {
            tg.load(g, trainable, floatType);
        } catch (RuntimeException e) {
            tg.close();
            throw e;
        }
        return tg;
    }

    private static void requireTranslatable(Graph g) {
        Map<String, Integer> missing = new TreeMap<>();
        for (Node n : g.nodes()) {
            boolean ok = n.normalizedDomain().isEmpty() && n.subgraphs().isEmpty() && Kernels.of(n.opType()) != null;
            if (!ok) {
                String what = n.normalizedDomain().isEmpty() ? n.opType() : n.normalizedDomain() + "." + n.opType();
                missing.merge(what, 1, Integer::sum);
            }
        }
        if (!missing.isEmpty()) {
            StringBuilder sb = new StringBuilder("the training engine has no translation for ");
            missing.forEach((op, count) -> sb.append(op).append(" (").append(count).append(count == 1 ? " node), "
                    : " nodes), "));
            sb.setLength(sb.length() - 2);
            throw new IllegalArgumentException(sb.toString());
        }
    }

    private void load(Graph g, Predicate<String> trainable, ai.djl.ndarray.types.DataType floatType) {
        Set<String> constantNames = new java.util.HashSet<>();
        for (Value v : g.initializers()) {
            constants.put(v.name(), Constants.of(manager, v.initializer()));
            constantNames.add(v.name());
        }
        for (Node n : g.nodes()) {
            if (n.opType().equals("Constant")) {
                Value out = n.output(0);
                constants.put(out.name(), Kernels.of("Constant").apply(new Kernel.Call(n, List.of(), opset, false,
                        manager)).get(0));
                constantNodes.put(out.name(), n);
                constantNames.add(out.name());
            } else {
                program.add(n);
            }
        }
        Predicate<Value> isConstant = v -> v != null && constantNames.contains(v.name());
        Map<String, Value> byName = new HashMap<>();
        g.initializers().forEach(v -> byName.put(v.name(), v));
        constantNodes.forEach((name, n) -> byName.put(name, n.output(0)));
        for (Map.Entry<String, NDArray> e : constants.entrySet()) {
            Value v = byName.get(e.getKey());
            NDArray a = e.getValue();
            if (a.getDataType() != ai.djl.ndarray.types.DataType.FLOAT32) {
                continue;
            }
            if (floatType != a.getDataType()) {
                NDArray wide = a.toType(floatType, true);
                a.close();
                a = wide;
                e.setValue(a);
            }
            if (ParameterRoles.isRunningStatistic(v)) {
                state.put(v.name(), a);
                if (v.uses().stream().anyMatch(u -> u.index() == 4)) {
                    runningVariances.add(v.name());
                }
            } else if (ParameterRoles.isWeight(v, a.size(), isConstant) && trainable.test(v.name())) {
                a.setRequiresGradient(true);
                parameters.put(v.name(), a);
                parameterValues.put(v.name(), v);
            }
        }
        for (Value v : g.inputs()) {
            if (!constants.containsKey(v.name())) {
                inputs.add(v.name());
            }
        }
        g.outputs().forEach(v -> outputs.add(v.name()));
    }

    /** The names of the graph inputs a step must feed. */
    public List<String> inputs() {
        return List.copyOf(inputs);
    }

    public List<String> outputs() {
        return List.copyOf(outputs);
    }

    /** The trainable weights by value name, in graph order; they require gradients. */
    public Map<String, NDArray> parameters() {
        return java.util.Collections.unmodifiableMap(parameters);
    }

    /** Running statistics (BatchNormalization's mean and variance) by value name. */
    public Map<String, NDArray> state() {
        return java.util.Collections.unmodifiableMap(state);
    }

    /** The number of trainable scalars. */
    public long parameterCount() {
        return parameters.values().stream().mapToLong(NDArray::size).sum();
    }

    /**
     * Runs the graph on {@code feeds}; returns the graph outputs and any {@code extra} intermediate values by
     * name, all owned by {@code step}. In training mode BatchNormalization uses batch statistics and moves its
     * running ones.
     */
    public Map<String, NDArray> forward(NDManager step, Map<String, NDArray> feeds, boolean training,
            Collection<String> extra) {
        Map<String, NDArray> env = new HashMap<>();
        for (Map.Entry<String, NDArray> e : constants.entrySet()) {
            env.put(e.getKey(), Constants.view(e.getValue(), step));
        }
        for (String in : inputs) {
            NDArray f = feeds.get(in);
            if (f == null) {
                throw new IllegalArgumentException("no data for graph input '" + in + "'");
            }
            env.put(in, f);
        }
        for (Node n : program) {
            List<NDArray> args = new ArrayList<>(n.inputs().size());
            for (Value v : n.inputs()) {
                args.add(v == null || v.name().isEmpty() ? null : require(env, v.name(), n));
            }
            List<NDArray> res = Kernels.of(n.opType()).apply(new Kernel.Call(n, args, opset, training, step));
            for (int i = 0; i < n.outputs().size() && i < res.size(); i++) {
                Value out = n.output(i);
                if (out != null && !out.name().isEmpty()) {
                    env.put(out.name(), res.get(i));
                }
            }
        }
        Map<String, NDArray> result = new LinkedHashMap<>();
        for (String o : outputs) {
            result.put(o, require(env, o, null));
        }
        for (String o : extra) {
            result.put(o, require(env, o, null));
        }
        return result;
    }

    private static NDArray require(Map<String, NDArray> env, String name, Node user) {
        NDArray a = env.get(name);
        if (a == null) {
            throw new IllegalArgumentException("value '" + name + "' is not computed by the graph"
                    + (user == null ? "" : " (read by " + user.displayName() + ")"));
        }
        return a;
    }

    /**
     * Re-initialises every trainable weight as PyTorch initialises a fresh layer (uniform in ±1/√fan-in for
     * weights and their biases, ones and zeros for normalization scales and shifts, N(0, 0.02) for embedding
     * tables), and running statistics to mean 0, variance 1; seeded, so repeatable.
     */
    public void reinitialize(long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray a = e.getValue();
            float[] v = Reinit.values(parameterValues.get(e.getKey()), a.getShape().getShape(), rng);
            Torch.assign(a, v);
        }
        for (Map.Entry<String, NDArray> e : state.entrySet()) {
            float[] v = new float[(int) e.getValue().size()];
            java.util.Arrays.fill(v, runningVariances.contains(e.getKey()) ? 1f : 0f);
            Torch.assign(e.getValue(), v);
        }
    }

    /** Writes the current weights and running statistics into {@code model}'s tensors (same names, shapes, order). */
    public void writeBack(Model model) {
        Graph g = model.graph();
        Map<String, NDArray> changed = new LinkedHashMap<>(parameters);
        changed.putAll(state);
        for (Map.Entry<String, NDArray> e : changed.entrySet()) {
            NDArray a = e.getValue();
            Tensor t = Tensor.ofFloats(e.getKey(), a.toFloatArray(), a.getShape().getShape());
            Node constant = constantNodes.get(e.getKey());
            if (constant != null) {
                constant.setAttribute(Attribute.ofTensor("value", t));
            } else {
                Value v = g.initializer(e.getKey());
                if (v == null || v.initializer().dataType() != DataType.FLOAT) {
                    throw new IllegalArgumentException("model has no float initializer '" + e.getKey() + "'");
                }
                g.setInitializer(v, t);
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
