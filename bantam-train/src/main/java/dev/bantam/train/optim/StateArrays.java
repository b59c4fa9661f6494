package dev.bantam.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/** An optimizer's per-parameter state arrays ("name/slot"), created as zeros on first use. */
final class StateArrays implements AutoCloseable {

    private final NDManager manager = NDManager.newBaseManager();
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();

    NDArray get(String parameter, String slot, NDArray like) {
        return arrays.computeIfAbsent(parameter + "/" + slot, k -> manager.zeros(like.getShape(), like.getDataType()));
    }

    Map<String, NDArray> all() {
        return java.util.Collections.unmodifiableMap(arrays);
    }

    void restore(Map<String, float[]> saved, Map<String, NDArray> parameters) {
        for (Map.Entry<String, float[]> e : saved.entrySet()) {
            String param = e.getKey().substring(0, e.getKey().lastIndexOf('/'));
            NDArray like = parameters.get(param);
            if (like == null) {
                throw new IllegalArgumentException("optimizer state for unknown parameter '" + param + "'");
            }
            arrays.put(e.getKey(), manager.create(e.getValue(), like.getShape()));
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
