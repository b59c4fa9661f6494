package dev.bantam.compress.prune;

import dev.bantam.compress.TensorEntry;
import java.util.List;

/**
 * One weight unstructured pruning zeroed.
 *
 * @param sparsity the fraction of its values that are zero after pruning
 * @param sparse   whether it is stored as a sparse initializer
 * @param sqnrDb   10·log10(Σw² / Σ(w − w')²): how much of the weight the pruned one keeps (SparseGPT also changes
 *                 the weights it keeps)
 */
public record SparseLayer(String tensor, String node, String opType, List<Long> shape, double sparsity, boolean sparse,
                          double sqnrDb) implements TensorEntry {

    public SparseLayer {
        shape = List.copyOf(shape);
    }
}
