package dev.bantam.runtime.eval;

import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.runtime.InferenceSession;
import dev.bantam.runtime.InputInfo;
import dev.bantam.runtime.RuntimeOptions;
import dev.bantam.runtime.context.TempModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The shapes of intermediate values, found by exposing node outputs as graph outputs and running an in-memory model once
 * without ONNX Runtime's optimizations (which would fuse some values away). Used for shapes (operation
 * counts and the energy estimate); never reloads the model from its file.
 */
public final class ShapeCapture {

    private ShapeCapture() {
    }

    /**
     * The shape of every graph input and node output of the main graph of an in-memory model (written to a temporary copy
     * with every value exposed; the model itself is left as it was), for feeds made once the inputs are known.
     */
    public static Map<String, long[]> shapes(Model m, Function<List<InputInfo>, Map<String, Tensor>> feeds) {
        return shapes(m, name -> true, feeds);
    }

    /** As {@link #shapes(Model, Function)}, exposing only the node outputs that {@code expose} accepts. */
    public static Map<String, long[]> shapes(Model m, Predicate<String> expose,
                                             Function<List<InputInfo>, Map<String, Tensor>> feeds) {
        try (InferenceSession s = openExposing(m, expose, new RuntimeOptions(1, 1, false))) {
            Map<String, long[]> out = new HashMap<>();
            Map<String, Tensor> in = feeds.apply(s.inputs());
            in.forEach((k, v) -> out.put(k, v.dims()));
            s.run(in).forEach((k, v) -> out.put(k, v.dims()));
            return out;
        }
    }

    /**
     * The shapes of the float values {@code names} (graph inputs or node outputs) for one batch of feeds: only
     * those values are exposed, and their contents are never copied out of ONNX Runtime.
     */
    public static Map<String, long[]> shapesOf(Model m, Set<String> names,
                                               Function<List<InputInfo>, Map<String, Tensor>> feeds) {
        try (InferenceSession s = openExposing(m, names::contains, RuntimeOptions.defaults())) {
            Map<String, long[]> out = new HashMap<>();
            Map<String, Tensor> in = feeds.apply(s.inputs());
            in.forEach((k, v) -> out.put(k, v.dims()));
            s.runStreaming(in, (name, dims, values) -> out.put(name, dims.clone()));
            out.keySet().retainAll(names);
            return out;
        }
    }

    /** A session on a temporary copy of {@code m} with the node outputs {@code expose} accepts made graph outputs. */
    private static InferenceSession openExposing(Model m, Predicate<String> expose, RuntimeOptions options) {
        Set<String> existing = new HashSet<>();
        m.graph().outputs().forEach(v -> existing.add(v.name()));
        List<Value> added = new ArrayList<>();
        for (Node n : m.graph()) {
            for (Value out : n.outputs()) {
                if (out != null && expose.test(out.name()) && existing.add(out.name())) {
                    m.graph().addOutput(out);
                    added.add(out);
                }
            }
        }
        try (TempModel copy = TempModel.write(m, "shapes")) {
            return InferenceSession.open(copy.file(), options);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException("the copy of the model vanished: " + e.getFile(), e);
        } finally {
            m.graph().removeOutputs(added);
        }
    }
}
