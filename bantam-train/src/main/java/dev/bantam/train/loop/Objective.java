package dev.bantam.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What training minimises: a loss of the student's outputs (and any intermediate values it asks for) on one
 * batch. An objective may hold trainable parameters of its own (adapters of feature hints), which the
 * optimizer updates with the student's.
 */
public interface Objective extends AutoCloseable {

    /**
     * Called once before training, with the student and the data: an objective that needs shapes (adapters) or
     * teachers set up does so here.
     */
    default void prepare(dev.bantam.train.graph.TrainableGraph student, dev.bantam.runtime.data.DataSource data) {
    }

    /** Intermediate student values (by name) the loss reads, besides the graph outputs. */
    default Collection<String> studentValues() {
        return List.of();
    }

    /** Trainable parameters owned by the objective, by name. */
    default Map<String, NDArray> parameters() {
        return Map.of();
    }

    /** Whether the loss needs the data's labels. */
    boolean needsLabels();

    /**
     * The loss on {@code batch}; {@code student} holds the graph outputs and {@link #studentValues()}. Every
     * array created goes to {@code step}. The returned terms (name to scalar array) are shown in progress.
     */
    Loss loss(StepBatch batch, Map<String, NDArray> student, NDManager step);

    /** One line for reports. */
    String describe();

    @Override
    default void close() {
    }

    /** A scalar loss and its named terms. */
    record Loss(NDArray total, Map<String, NDArray> terms) {
    }
}
