package dev.bantam.runtime.calibrate;

import dev.bantam.compress.stats.ActivationObserver;
import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.runtime.DataException;
import dev.bantam.runtime.InferenceSession;
import dev.bantam.runtime.RuntimeOptions;
import dev.bantam.runtime.StateStream;
import dev.bantam.runtime.context.TempModel;
import dev.bantam.runtime.data.Batch;
import dev.bantam.runtime.data.DataSource;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs a model on calibration data and streams the values of chosen intermediate activations to an observer,
 * batch by batch. The activations are made graph outputs of a copy of the model ({@link TempModel}) that
 * ONNX Runtime loads; the model itself is left as it was. Each output is read in place from ONNX Runtime's
 * memory, so the Java heap does not grow with the number of samples or the size of the activations.
 */
public final class ActivationCollector {

    private ActivationCollector() {
    }

    /**
     * @param model     the float model (typically after quantization pre-steps)
     * @param names     value names to observe (graph inputs included)
     * @param openData  opens the data source given the session (which knows the inputs)
     * @param samples   how many items to run (at most the source's size; 0 = all)
     * @param batchSize items per run
     * @return the number of items run
     */
    public static int collect(Model model, Collection<String> names, Function<InferenceSession, DataSource> openData,
                              int samples, int batchSize, ActivationObserver observer, ProgressListener progress) {
        return collect(model, names, openData, samples, batchSize, observer, progress, Map.of());
    }

    /**
     * As {@link #collect(Model, Collection, Function, int, int, ActivationObserver, ProgressListener)}, with a
     * recurrent model's state streamed ({@link StateStream}): items then run one at a time, in order, each fed the
     * previous item's state outputs, so the statistics are those of the model in use, not of every item starting
     * from the data's initial state.
     *
     * @param state output name to the input it feeds; empty for none
     */
    public static int collect(Model model, Collection<String> names, Function<InferenceSession, DataSource> openData,
                              int samples, int batchSize, ActivationObserver observer, ProgressListener progress,
                              Map<String, String> state) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("calibration batch size must be >= 1");
        }
        StateStream.check(state, model.graph().outputs().stream().map(Value::name).toList(),
                model.graph().inputs().stream().map(Value::name).toList());
        if (names.stream().anyMatch(n -> !model.graph().hasName(n))) {
            Model copy = dev.bantam.onnx.ir.serde.OnnxSerde.read(dev.bantam.onnx.ir.serde.OnnxSerde.toBytes(model));
            new dev.bantam.onnx.infer.ShapeInference().run(copy);
            return collect(copy, names, openData, samples, batchSize, observer, progress, true, state);
        }
        return collect(model, names, openData, samples, batchSize, observer, progress, false, state);
    }

    /**
     * @param ownCopy whether {@code model} is a copy this class made: values inside If/Loop/Scan bodies are then
     *                exposed through their holders ({@link NestedOutputs}), edits that stay in the copy
     */
    private static int collect(Model model, Collection<String> names, Function<InferenceSession, DataSource> openData,
                               int samples, int batchSize, ActivationObserver observer, ProgressListener progress,
                               boolean ownCopy, Map<String, String> state) {
        Graph g = model.graph();
        Map<String, Value> byName = new HashMap<>();
        for (Graph x : ownCopy ? g.graphsRecursive() : List.of(g)) {
            x.inputs().forEach(v -> byName.put(v.name(), v));
            for (Node n : x) {
                for (Value v : n.outputs()) {
                    if (v != null) {
                        byName.put(v.name(), v);
                    }
                }
            }
        }
        Set<String> fromFeeds = new LinkedHashSet<>();
        List<Value> added = new ArrayList<>();
        Set<String> outputs = new LinkedHashSet<>();
        Map<String, String> exposedAs = new HashMap<>(); // main-graph output name to the body value it carries
        g.outputs().forEach(v -> outputs.add(v.name()));
        for (String name : names) {
            Value v = byName.get(name);
            if (v == null) {
                throw new IllegalArgumentException("the model has no value named " + name + " to calibrate");
            }
            if (v.graph() != g) {
                exposedAs.put(NestedOutputs.expose(v), name);
            } else if (v.isGraphInput()) {
                fromFeeds.add(name);
            } else if (!outputs.contains(name)) {
                g.addOutput(v);
                added.add(v);
            }
        }
        InferenceSession session;
        try (TempModel copy = TempModel.write(model, "calibration")) {
            session = InferenceSession.open(copy.file(), RuntimeOptions.defaults());
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("the calibration copy of the model vanished: " + e.getFile(), e);
        } finally {
            g.removeOutputs(added);
        }
        Set<String> wanted = Set.copyOf(names);
        try (InferenceSession s = session) {
            DataSource data = openData.apply(s);
            int total = samples <= 0 ? data.size() : Math.min(samples, data.size());
            if (total == 0) {
                throw new DataException("the calibration data is empty");
            }
            StateStream.check(state, s);
            StateStream stream = new StateStream(state);
            int batch = stream.isEmpty() ? dev.bantam.runtime.FixedBatch.cap(s.inputs(), batchSize) : 1; // a model exported for batch 1
            for (int start = 0; start < total; start += batch) {
                Batch b = data.batch(start, Math.min(batch, total - start));
                Map<String, Tensor> feeds = stream.feeds(b.feeds());
                for (String in : fromFeeds) {
                    Tensor t = feeds.get(in);
                    observer.observe(in, t.dims(), t.bytes().asByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
                }
                s.runStreaming(feeds, (name, dims, values) -> {
                    if (stream.carries(name)) {
                        float[] copy = new float[values.remaining()];
                        values.duplicate().get(copy);
                        stream.carry(name, Tensor.ofFloats(name, copy, dims));
                    }
                    String source = exposedAs.getOrDefault(name, name);
                    if (wanted.contains(source)) {
                        observer.observe(source, dims, values);
                    }
                });
                stream.requireCarried();
                progress.progress("calibrate", Math.min(total, start + batch), total);
            }
            return total;
        }
    }
}
