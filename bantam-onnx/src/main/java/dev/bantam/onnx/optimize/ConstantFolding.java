package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Dim;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.pass.Pass;
import dev.bantam.onnx.pass.PassResult;
import dev.bantam.onnx.reference.NdArray;
import dev.bantam.onnx.reference.ReferenceEvaluator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Computes nodes whose inputs are all constants with the reference evaluator and replaces them with
 * initializers; a Shape node folds when its input's shape is static. Folding never grows the stored model: a
 * result is kept only when its bytes are no more than the constants it frees (inputs that no other node reads)
 * or it is tiny (a shape or an index), so a weight read by several nodes (say, unsqueezed in both branches of an
 * If) is not materialised again per reader. Results over 64 Ki elements and over the inputs' size are not even
 * computed.
 */
public final class ConstantFolding implements Pass {

    private static final long MAX_INPUT_ELEMENTS = 1 << 22;
    private static final long FREE_OUTPUT_ELEMENTS = 1 << 16;
    /** A result this small may be stored though it frees nothing: about the size of the node it replaces. */
    static final long SMALL_RESULT_BYTES = 64;

    @Override
    public String name() {
        return "constant-folding";
    }

    @Override
    public PassResult run(Model model) {
        if (model.irVersion() != null && model.irVersion() < 4) {
            return new PassResult(false, List.of("skipped: IR version " + model.irVersion() + " < 4"));
        }
        long opset = model.opsetVersion("").orElse(1);
        Map<String, Integer> folded = new TreeMap<>();
        Map<String, Integer> refused = new TreeMap<>();
        for (Graph g : model.graph().graphsRecursive()) {
            for (Node n : g.nodes()) {
                if (!n.normalizedDomain().isEmpty() || !ReferenceEvaluator.supports(n.opType()) || !n.subgraphs().isEmpty()
                        || n.outputs().isEmpty() || n.outputs().stream().anyMatch(v -> v == null)) {
                    continue;
                }
                Optional<List<NdArray>> inputs = n.isStandard("Shape") ? staticShapeInput(n) : constantInputs(n);
                if (inputs.isEmpty()) {
                    continue;
                }
                long in = inputs.get().stream().filter(a -> a != null).mapToLong(NdArray::size).sum();
                long bound = Math.max(in, FREE_OUTPUT_ELEMENTS);
                try {
                    List<NdArray> out = ReferenceEvaluator.evaluate(n, inputs.get(), opset, bound);
                    long produced = out.stream().mapToLong(NdArray::size).sum();
                    if (produced > bound) {
                        refused.merge(n.opType() + " (result too large to store)", 1, Integer::sum);
                        continue;
                    }
                    long producedBytes = out.stream().mapToLong(ConstantFolding::bytes).sum();
                    if (producedBytes > SMALL_RESULT_BYTES && producedBytes > freedBytes(n)) {
                        refused.merge(n.opType() + " (its result would add to the stored weights)", 1, Integer::sum);
                        continue;
                    }
                    replace(g, n, out);
                    folded.merge(n.opType(), 1, Integer::sum);
                } catch (dev.bantam.onnx.reference.ResultTooLargeException e) {
                    refused.merge(n.opType() + " (result too large to store)", 1, Integer::sum);
                } catch (UnsupportedOperationException | IllegalArgumentException | ArithmeticException e) {
                    refused.merge(n.opType() + " (" + e.getMessage() + ")", 1, Integer::sum);
                }
            }
        }
        List<String> notes = new ArrayList<>();
        folded.forEach((op, c) -> notes.add("folded " + c + " " + op));
        boolean changed = !notes.isEmpty();
        refused.forEach((why, c) -> notes.add("left " + c + " " + why + " unfolded: computed at run time as before"));
        return new PassResult(changed, notes);
    }

    private static long bytes(NdArray a) {
        return (long) a.size() * Math.max(1, a.type().bitWidth() / 8);
    }

    /** The bytes of constant inputs that only {@code n} reads: folding {@code n} removes them from the model. */
    private static long freedBytes(Node n) {
        long freed = 0;
        java.util.Set<Value> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Value v : n.inputs()) {
            if (v == null || !seen.add(v) || v.isGraphOutput() || v.constantValue().isEmpty()
                    || v.uses().stream().anyMatch(u -> u.node() != n)) {
                continue;
            }
            freed += v.constantValue().get().storedByteSize();
        }
        return freed;
    }

    private static Optional<List<NdArray>> constantInputs(Node n) {
        List<NdArray> in = new ArrayList<>();
        long total = 0;
        for (Value v : n.inputs()) {
            if (v == null) {
                in.add(null);
                continue;
            }
            Optional<Tensor> t = v.constantValue();
            if (t.isEmpty() || t.get().dataType() == DataType.STRING || t.get().dataType().bitWidth() < 8) {
                return Optional.empty();
            }
            total += t.get().elementCount();
            if (total > MAX_INPUT_ELEMENTS) {
                return Optional.empty();
            }
            try {
                in.add(NdArray.of(t.get()));
            } catch (UnsupportedOperationException e) {
                return Optional.empty();
            }
        }
        return Optional.of(in);
    }

    /** Shape needs only its input's shape: available when the type says it is static. */
    private static Optional<List<NdArray>> staticShapeInput(Node n) {
        Value v = n.input(0);
        if (v == null) {
            return Optional.empty();
        }
        if (v.constantValue().isPresent()) {
            long[] dims = v.constantValue().get().dims();
            return Optional.of(List.of(NdArray.ofLongs(DataType.INT64, dims, new long[0])));
        }
        if (v.type() instanceof ValueType.TensorType t && t.shape() != null && t.shape().isStatic()) {
            long[] dims = t.shape().dims().stream().mapToLong(d -> ((Dim.Fixed) d).value()).toArray();
            return Optional.of(List.of(NdArray.ofLongs(DataType.INT64, dims, new long[0])));
        }
        return Optional.empty();
    }

    private static void replace(Graph g, Node n, List<NdArray> results) {
        List<Value> olds = new ArrayList<>(n.outputs());
        for (int i = 0; i < olds.size(); i++) {
            Value old = olds.get(i);
            NdArray r = results.get(i);
            Value init = new Value(old.name(), ValueType.tensor(r.type(), Shape.of(r.shape())));
            old.replaceAllUsesWith(init, true);
            if (i == olds.size() - 1) {
                g.remove(n, true);
            }
            g.addInitializer(init, r.toTensor(old.name()));
        }
    }
}
