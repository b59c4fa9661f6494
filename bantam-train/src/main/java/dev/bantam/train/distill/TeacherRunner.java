package dev.bantam.train.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.runtime.InferenceSession;
import dev.bantam.runtime.RuntimeOptions;
import dev.bantam.runtime.context.TempModel;
import dev.bantam.train.graph.Constants;
import dev.bantam.train.loop.StepBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A teacher in ONNX Runtime: its logits output and the intermediate values hints read (exposed as extra outputs
 * of a private copy). Results are cached per item when the inputs are not augmented and the cache fits its
 * budget, so later epochs do not run the teacher again.
 */
final class TeacherRunner implements AutoCloseable {

    private final Path path;
    private final InferenceSession session;
    private final List<String> wanted;
    private final List<String> inputs;
    private final long cacheBudget;
    private final Map<Integer, Map<String, Tensor>> cache = new HashMap<>();
    private long cachedBytes;
    private boolean caching = true;

    TeacherRunner(Path path, String logits, Set<String> values, long cacheBudget) {
        this.path = path;
        this.cacheBudget = cacheBudget;
        Model m;
        try {
            m = ModelIO.load(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read teacher " + path + ": " + e.getMessage(), e);
        } catch (dev.bantam.onnx.InvalidModelException e) {
            throw new IllegalArgumentException("teacher " + path + ": " + e.getMessage(), e);
        }
        Graph g = m.graph();
        String out = logits == null ? g.outputs().get(0).name() : logits;
        wanted = new ArrayList<>(List.of(out));
        Map<String, Value> byName = new HashMap<>();
        g.inputs().forEach(v -> byName.put(v.name(), v));
        for (Node n : g.nodes()) {
            n.outputs().forEach(v -> byName.put(v.name(), v));
        }
        Set<String> outputs = new java.util.HashSet<>();
        g.outputs().forEach(v -> outputs.add(v.name()));
        for (String v : List.copyOf(new java.util.TreeSet<>(values))) {
            Value value = byName.get(v);
            if (value == null) {
                throw new IllegalArgumentException("teacher " + path.getFileName() + " has no value named '" + v + "'");
            }
            if (!outputs.contains(v)) {
                g.addOutput(value);
            }
            if (!wanted.contains(v)) {
                wanted.add(v);
            }
        }
        if (!byName.containsKey(out) || !g.outputs().stream().anyMatch(v -> v.name().equals(out))) {
            throw new IllegalArgumentException("teacher " + path.getFileName() + " has no output named '" + out + "'");
        }
        try (TempModel copy = TempModel.write(m, "teacher")) {
            session = InferenceSession.open(copy.file(), RuntimeOptions.defaults());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException("the teacher's copy vanished: " + e.getFile(), e);
        }
        inputs = session.inputs().stream().map(dev.bantam.runtime.InputInfo::name).toList();
    }

    String logitsName() {
        return wanted.get(0);
    }

    /** The teacher's logits and hint values for the batch, as arrays owned by {@code step}. */
    Map<String, NDArray> run(StepBatch batch, NDManager step) {
        Map<String, Tensor> result = cached(batch);
        if (result == null) {
            Map<String, Tensor> feeds = new LinkedHashMap<>();
            for (String in : inputs) {
                Tensor t = batch.batch().feeds().get(in);
                if (t == null) {
                    throw new IllegalArgumentException("teacher " + path.getFileName() + " reads input '" + in
                            + "', which the data does not give (it gives " + batch.batch().feeds().keySet() + ")");
                }
                feeds.put(in, t);
            }
            result = session.run(feeds);
            store(batch, result);
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String w : wanted) {
            out.put(w, Constants.of(step, result.get(w)));
        }
        return out;
    }

    private Map<String, Tensor> cached(StepBatch batch) {
        if (batch.augmented() || !caching) {
            return null;
        }
        List<Map<String, Tensor>> rows = new ArrayList<>();
        for (int item : batch.items()) {
            Map<String, Tensor> row = cache.get(item);
            if (row == null) {
                return null;
            }
            rows.add(row);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String w : wanted) {
            Tensor t = Rows.stack(w, rows);
            if (t == null) {
                return null;
            }
            out.put(w, t);
        }
        return out;
    }

    private void store(StepBatch batch, Map<String, Tensor> result) {
        if (batch.augmented() || !caching) {
            return;
        }
        long bytes = result.values().stream().mapToLong(Tensor::expectedByteSize).sum();
        if (cachedBytes + bytes > cacheBudget) {
            caching = false;
            cache.clear();
            return;
        }
        cachedBytes += bytes;
        for (int k = 0; k < batch.items().length; k++) {
            Map<String, Tensor> row = new HashMap<>();
            for (String w : wanted) {
                row.put(w, Rows.row(result.get(w), k));
            }
            cache.put(batch.items()[k], row);
        }
    }

    @Override
    public void close() {
        session.close();
        cache.clear();
    }
}
