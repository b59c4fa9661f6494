package dev.bantam.compress.prune;

import dev.bantam.compress.Decision;
import dev.bantam.compress.TechniqueReport;
import java.util.List;

/**
 * What unstructured pruning did: every layer's sparsity and storage, the decisions, and the bytes of the pruned
 * weights before and after (sparse storage).
 */
public record SparsityReport(SparsityConfig config, List<SparseLayer> tensors, List<Decision> decisions,
                             List<String> notes, long bytesBefore, long bytesAfter) implements TechniqueReport {

    public SparsityReport {
        tensors = List.copyOf(tensors);
        decisions = List.copyOf(decisions);
        notes = List.copyOf(notes);
    }

    @Override
    public String technique() {
        return SparsityConfig.NAME;
    }
}
