package dev.bantam.train.loop;

import ai.djl.ndarray.NDArray;
import dev.bantam.runtime.data.Batch;
import java.util.Map;

/**
 * One training batch: the items' indices in the data source, the batch as fed (after any augmentation; tensors
 * for ONNX Runtime, e.g. a teacher), the same as engine arrays, the labels (null when the source has none), and
 * whether the inputs were augmented (a teacher's outputs for these items then cannot be reused).
 */
public record StepBatch(int[] items, Batch batch, Map<String, NDArray> feeds, NDArray labels, boolean augmented) {

    public int size() {
        return items.length;
    }
}
