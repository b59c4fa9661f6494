package dev.bantam.compress.stats;

import java.nio.FloatBuffer;

/**
 * A statistic of one activation, built batch by batch. Its memory does not grow with the number of samples,
 * and two accumulators fed different parts of the data merge into exactly what one would hold had it seen
 * all of it, whatever the batch sizes, the order, or where the data was split: histograms bin for bin,
 * extremes trivially, sums through {@link ExactSums}. A distributed run computes partial statistics apart
 * and merges them.
 *
 * @param <A> the accumulator's own type
 */
public interface Accumulator<A extends Accumulator<A>> {

    /**
     * Adds one batch.
     *
     * @param dims   the batch's shape; axis 0 is the batch (the items)
     * @param values row-major values from the buffer's position to its limit (the position is not moved)
     */
    void observe(long[] dims, FloatBuffer values);

    /** Adds what {@code other} observed; both must be configured alike (same axis, same width). */
    void merge(A other);

    /** A fresh accumulator configured like this one, having observed nothing. */
    A emptyCopy();

    /** Whether {@code other} asks for the same statistic (same kind and settings), so one can serve both. */
    default boolean sameRequestAs(Accumulator<?> other) {
        return other.getClass() == getClass();
    }
}
