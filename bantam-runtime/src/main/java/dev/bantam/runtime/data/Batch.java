package dev.bantam.runtime.data;

import dev.bantam.onnx.ir.Tensor;
import java.util.Map;

/**
 * Consecutive items of a data source, ready to feed: one tensor per model input with the items along
 * dimension 0, and their labels (null when the source has none).
 */
public record Batch(Map<String, Tensor> feeds, int[] labels, int count) {

    public Batch {
        feeds = Map.copyOf(feeds);
    }
}
