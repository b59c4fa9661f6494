package dev.bantam.compress.half;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Usage;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a graph as a {@link PrecisionPlan} says. Constants read in the half type are stored in it; constants read
 * only in float32 are stored in it too when they convert faithfully and are large enough, widened by one Cast
 * each that ONNX Runtime folds at load. Activations change type with the operators that make them, and a Cast is
 * placed only where an activation crosses from one precision to the other (one per value and direction, shared by
 * every reader); a value made by a Cast is cast from that Cast's input, so no Cast reads a Cast. Graph inputs and
 * outputs keep float32 when the config says so.
 */
final class HalfRewriter {

    /** What the rewrite did. */
    record Result(List<HalfTensor> tensors, int runtimeCasts, int loadCasts, long bytesBefore, long bytesAfter) {
    }

    private final Graph g;
    private final PrecisionPlan plan;
    private final HalfTensors constants;
    private final HalfPrecisionConfig config;
    private final DataType half;
    private final Set<String> keptWeights;
    private final Map<Node, Integer> order = new IdentityHashMap<>();
    private final Map<Value, Map<DataType, Value>> casts = new IdentityHashMap<>();
    private int runtimeCasts;
    private int loadCasts;

    private HalfRewriter(Graph g, PrecisionPlan plan, HalfTensors constants, Set<String> keptWeights) {
        this.g = g;
        this.keptWeights = keptWeights;
        this.plan = plan;
        this.constants = constants;
        this.config = plan.config();
        this.half = config.type().dataType();
        int i = 0;
        for (Node n : g) {
            order.put(n, i++);
        }
    }

    /** @param keptWeights constants to leave in float32 whatever they convert to */
    static Result rewrite(Graph g, PrecisionPlan plan, HalfTensors constants, Set<String> keptWeights) {
        HalfRewriter r = new HalfRewriter(g, plan, constants, keptWeights);
        Set<Value> activations = r.floatActivations();
        List<HalfTensor> tensors = r.constants();
        r.retypeActivations(activations);
        r.placeCasts(activations);
        long before = tensors.stream().mapToLong(HalfTensor::bytesBefore).sum();
        long after = tensors.stream().mapToLong(HalfTensor::bytesAfter).sum();
        return new Result(tensors, r.runtimeCasts, r.loadCasts, before, after);
    }

    /** Float32 values that are not constants: graph inputs and node outputs, in graph order. */
    private Set<Value> floatActivations() {
        Set<Value> out = new LinkedHashSet<>();
        g.inputs().stream().filter(v -> PrecisionPlan.isFloat(v) && v.constantValue().isEmpty()).forEach(out::add);
        for (Node n : g) {
            if (!n.isStandard("Constant")) {
                n.outputs().stream().filter(PrecisionPlan::isFloat).forEach(out::add);
            }
        }
        return out;
    }

    private List<HalfTensor> constants() {
        List<Value> values = new ArrayList<>();
        g.initializers().stream().filter(v -> PrecisionPlan.isFloat(v) && v.constantValue().isPresent()).forEach(values::add);
        for (Node n : g) {
            if (n.isStandard("Constant") && PrecisionPlan.isFloat(n.output(0)) && n.output(0).constantValue().isPresent()) {
                values.add(n.output(0));
            }
        }
        List<HalfTensor> out = new ArrayList<>();
        for (Value v : values) {
            if (!v.uses().isEmpty()) {
                out.add(constant(v));
            }
        }
        return out;
    }

    /** Stores one constant in the half type or leaves it, and gives float32 readers of a half one a Cast. */
    private HalfTensor constant(Value v) {
        Tensor t = v.constantValue().orElseThrow();
        HalfTensors.Conversion c = constants.of(t);
        List<Usage> halfReaders = v.uses().stream().filter(plan::readsHalf).toList();
        List<Usage> floatReaders = v.uses().stream().filter(u -> !plan.readsHalf(u)).toList();
        String why = null;
        if (halfReaders.isEmpty()) {
            why = keptWeights.contains(v.name()) ? "returned to float32 to meet minFidelity" : constants.whyNot(v.name(), c);
            if (why == null && t.elementCount() < config.scope().minWeightSize()) {
                why = "read only in float32 and smaller than " + config.scope().minWeightSize() + " elements";
            }
            if (why == null && v.isGraphOutput()) {
                why = "a graph output";
            }
            if (why == null) {
                why = floatReaders.stream().map(u -> storageScope(u.node())).filter(java.util.Objects::nonNull)
                        .findFirst().orElse(null);
            }
        }
        Usage first = v.uses().getFirst();
        long before = t.expectedByteSize();
        if (why != null) {
            return new HalfTensor(v.name(), first.node().displayName(), first.node().opType(), dims(t), false, why,
                    c.maxAbs(), c.sqnrDb(), c.overflow(), c.flushed(), false, before, before);
        }
        store(v, c.half());
        if (!floatReaders.isEmpty()) {
            Value widened = newCast(v, DataType.FLOAT, earliest(floatReaders));
            floatReaders.forEach(u -> u.node().replaceInput(u.index(), widened));
            loadCasts++;
        }
        return new HalfTensor(v.name(), first.node().displayName(), first.node().opType(), dims(t), true, null,
                c.maxAbs(), c.sqnrDb(), c.overflow(), c.flushed(), !floatReaders.isEmpty(), before,
                c.half().expectedByteSize());
    }

    /** Why the scope keeps a float32 reader's weights as they are; null when it does not. */
    private String storageScope(Node reader) {
        if (config.scope().excludedByName(reader)) {
            return "read by " + reader.displayName() + ", excluded by name";
        }
        if (config.scope().excludeOpTypes().contains(reader.opType())) {
            return "read by " + reader.displayName() + ", excluded by operator type";
        }
        if (plan.firstOrLast(reader)) {
            return "read by " + reader.displayName() + ", the first or last weighted layer (keepFirstLast)";
        }
        return null;
    }

    private void store(Value v, Tensor halfTensor) {
        if (v.initializer() != null) {
            g.setInitializer(v, halfTensor.withName(v.name()));
        } else {
            Node constant = v.producer();
            new ArrayList<>(constant.attributes()).forEach(a -> constant.removeAttribute(a.name()));
            constant.setAttribute(Attribute.ofTensor("value", halfTensor.withName("")));
        }
        retype(v, half);
    }

    /** Half operators' float outputs, Casts to float made Casts to the half type, ConstantOfShape values. */
    private void retypeActivations(Set<Value> activations) {
        for (Value v : activations) {
            if (v.producer() != null ? plan.producedHalf(v) : !config.keepIoTypes()) {
                retype(v, half);
            }
        }
        for (Node n : g) {
            if (!plan.half(n)) {
                continue;
            }
            if (n.isStandard("Cast") && n.intAttribute("to", 0) == DataType.FLOAT.code()) {
                n.setAttribute(Attribute.ofInt("to", half.code()));
            } else if (n.isStandard("ConstantOfShape")) {
                Tensor value = n.attribute("value").map(a -> ((AttributeValue.TensorValue) a.value()).value())
                        .orElse(Tensor.ofFloats("", new float[] {0f}, 1));
                n.setAttribute(Attribute.ofTensor("value", constants.of(value).half()));
            }
        }
    }

    /** A Cast wherever an activation is read, or leaves the graph, in the other precision. */
    private void placeCasts(Set<Value> activations) {
        for (Value v : activations) {
            boolean isHalf = v.producer() != null ? plan.producedHalf(v) : !config.keepIoTypes();
            for (Usage u : List.copyOf(v.uses())) {
                boolean wantHalf = plan.readsHalf(u);
                if (wantHalf != isHalf) {
                    u.node().replaceInput(u.index(), cast(v, wantHalf ? half : DataType.FLOAT));
                }
            }
            if (v.isGraphOutput() && isHalf == config.keepIoTypes()) {
                Value out = cast(v, config.keepIoTypes() ? DataType.FLOAT : half);
                g.replaceOutputKeepingName(v, out, "_" + (isHalf ? config.type().label() : "float"));
            }
        }
    }

    /** {@code v} in type {@code to}: one Cast per value and type, cast from a Cast's own input where it has one. */
    private Value cast(Value v, DataType to) {
        Map<DataType, Value> byType = casts.computeIfAbsent(v, k -> new java.util.EnumMap<>(DataType.class));
        Value done = byType.get(to);
        if (done != null) {
            return done;
        }
        Value source = v;
        Node p = v.producer();
        if (p != null && p.isStandard("Cast") && p.input(0).type() instanceof ValueType.TensorType t) {
            DataType from = t.elementType();
            if (from == to) {
                byType.put(to, p.input(0));
                return p.input(0);
            }
            if (!from.isFloatingPoint()) {
                source = p.input(0);
            }
        }
        Value c = newCast(source, to, null);
        runtimeCasts++;
        byType.put(to, c);
        return c;
    }

    /** A Cast of {@code v} to {@code to}, placed after its producer, or before {@code before} for a constant. */
    private Value newCast(Value v, DataType to, Node before) {
        String suffix = to == DataType.FLOAT ? "_float" : "_" + config.type().label();
        Node cast = Node.of("Cast", List.of(v), List.of(g.uniqueName(v.name() + suffix)), Attribute.ofInt("to", to.code()));
        cast.setName(g.uniqueName("Cast" + suffix + "/" + v.name()));
        if (before != null) {
            g.insertBefore(before, cast);
        } else if (v.producer() != null) {
            g.insertAfter(v.producer(), cast);
        } else {
            g.insertBefore(g.nodes().getFirst(), cast);
        }
        ValueType.TensorType t = v.type() instanceof ValueType.TensorType tt ? tt : null;
        cast.output(0).setType(new ValueType.TensorType(to, t == null ? null : t.shape(), null));
        return cast.output(0);
    }

    private Node earliest(List<Usage> uses) {
        return uses.stream().map(Usage::node).min(java.util.Comparator.comparingInt(n -> order.getOrDefault(n,
                Integer.MAX_VALUE))).orElseThrow();
    }

    private static void retype(Value v, DataType t) {
        if (v.type() instanceof ValueType.TensorType tt) {
            v.setType(new ValueType.TensorType(t, tt.shape(), tt.denotation()));
        } else if (v.type() == null) {
            v.setType(new ValueType.TensorType(t, null, null));
        }
    }

    private static List<Long> dims(Tensor t) {
        List<Long> out = new ArrayList<>();
        for (long d : t.dims()) {
            out.add(d);
        }
        return out;
    }
}
