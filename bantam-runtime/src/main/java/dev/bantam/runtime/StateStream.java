package dev.bantam.runtime;

import dev.bantam.onnx.ir.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A recurrent model's state streamed from one item to the next ({@code --state OUT=IN}): each run's output OUT is
 * fed to the next run's input IN; the first run takes IN from the data (typically {@code input.IN=zeros:...}).
 * Items then run one at a time, in order. One stream per model: a reference and a candidate each carry their own.
 */
public final class StateStream {

    private final Map<String, String> pairs;
    private final Map<String, Tensor> carried = new LinkedHashMap<>();

    /** @param pairs output name to the input it feeds; empty for a model without streamed state */
    public StateStream(Map<String, String> pairs) {
        this.pairs = Map.copyOf(pairs);
    }

    public boolean isEmpty() {
        return pairs.isEmpty();
    }

    /**
     * Checks that every pair names an output and an input of the session's model.
     *
     * @throws DataException naming the pair and what the model has instead
     */
    public static void check(Map<String, String> pairs, InferenceSession s) {
        check(pairs, s.outputNames(), s.inputs().stream().map(InputInfo::name).toList());
    }

    /**
     * Checks that every pair names one of {@code outputs} and one of {@code inputs}.
     *
     * @throws DataException naming the pair and what the model has instead
     */
    public static void check(Map<String, String> pairs, java.util.List<String> outputs, java.util.List<String> inputs) {
        for (Map.Entry<String, String> e : pairs.entrySet()) {
            if (!outputs.contains(e.getKey())) {
                throw new DataException("--state " + e.getKey() + "=" + e.getValue() + ": the model has no output '"
                        + e.getKey() + "' (" + String.join(", ", outputs) + ")");
            }
            if (!inputs.contains(e.getValue())) {
                throw new DataException("--state " + e.getKey() + "=" + e.getValue() + ": the model has no input '"
                        + e.getValue() + "' (" + String.join(", ", inputs) + ")");
            }
        }
    }

    /** The item's feeds with the state inputs replaced by the previous run's outputs (the data's on the first run). */
    public Map<String, Tensor> feeds(Map<String, Tensor> data) {
        if (pairs.isEmpty() || carried.isEmpty()) {
            return data;
        }
        Map<String, Tensor> f = new LinkedHashMap<>(data);
        pairs.forEach((out, in) -> f.put(in, carried.get(out)));
        return f;
    }

    /** Keeps this run's state outputs for the next run. */
    public void carry(Map<String, Tensor> outputs) {
        pairs.keySet().forEach(o -> carried.put(o, outputs.get(o)));
    }

    /** Keeps one state output for the next run (from a streamed run that hands outputs over one by one). */
    public void carry(String output, Tensor value) {
        if (pairs.containsKey(output)) {
            carried.put(output, value);
        }
    }

    /**
     * Checks, after a run, that every state output was kept.
     *
     * @throws DataException naming a state output that is not a float tensor (a streamed run hands over floats only)
     */
    public void requireCarried() {
        for (String o : pairs.keySet()) {
            if (carried.get(o) == null) {
                throw new DataException("--state " + o + "=" + pairs.get(o) + ": output '" + o + "' is not a float "
                        + "tensor, which calibration cannot stream");
            }
        }
    }

    /** Whether {@code output} is a state output. */
    public boolean carries(String output) {
        return pairs.containsKey(output);
    }
}
