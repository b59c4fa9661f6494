package dev.bantam.runtime;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The batch a model accepts: many models are exported with a fixed first dimension (often 1), and feeding them
 * batches of 32 fails. When every input has the same fixed first dimension, that is the batch.
 */
public final class FixedBatch {

    private FixedBatch() {
    }

    /** The inputs' common fixed first dimension, or 0 when any input leaves it free or they disagree. */
    public static int of(List<InputInfo> inputs) {
        Set<Long> first = new HashSet<>();
        for (InputInfo in : inputs) {
            first.add(in.shape().length == 0 ? -1 : in.shape()[0]);
        }
        long b = first.size() == 1 ? first.iterator().next() : -1;
        return b >= 1 && b <= Integer.MAX_VALUE ? (int) b : 0;
    }

    /** {@code wanted}, or the model's fixed batch when it has one below {@code wanted}. */
    public static int cap(List<InputInfo> inputs, int wanted) {
        int fixed = of(inputs);
        return fixed > 0 && fixed < wanted ? fixed : wanted;
    }
}
