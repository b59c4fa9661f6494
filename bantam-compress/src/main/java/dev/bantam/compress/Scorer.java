package dev.bantam.compress;

import dev.bantam.onnx.ir.Model;

/**
 * Scores many candidates against one reference on the same evaluation items: what a search (a guard, a rank or
 * bit-width search) asks for. A context's scorer may run the reference and read the data once and keep them, so
 * that each candidate costs only its own run; close it when the search is done.
 *
 * <pre>
 *   try (Scorer scorer = context.scorer(reference, 128)) {
 *       for (Model candidate : candidates) { Score s = scorer.score(candidate); ... }
 *   }
 * </pre>
 */
public interface Scorer extends AutoCloseable {

    /** The candidate's outputs compared with the reference's, as {@link CompressionContext#score} measures them. */
    Score score(Model candidate);

    /**
     * The same on the first {@code items} of the items only (a scorer may round up to whole batches): a cheaper
     * figure for ranking many candidates.
     */
    Score score(Model candidate, int items);

    @Override
    default void close() {
    }
}
