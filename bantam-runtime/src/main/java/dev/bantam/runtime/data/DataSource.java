package dev.bantam.runtime.data;

import java.util.List;

/**
 * Items a model is run on: images, text, arrays or generated inputs. A source is read in batches of
 * consecutive items; everything it produces is checked against the model's inputs before a run.
 */
public interface DataSource {

    /** How many items there are. */
    int size();

    /** Items {@code start} to {@code start + count - 1} as one batch. */
    Batch batch(int start, int count);

    /** Class names, index = label; empty when the source has no labels. */
    default List<String> labelNames() {
        return List.of();
    }

    default boolean hasLabels() {
        return !labelNames().isEmpty();
    }

    /** One line saying what this is, for reports. */
    String describe();
}
