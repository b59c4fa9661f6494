package dev.bantam.compress.prune;

import dev.bantam.compress.Decision;
import dev.bantam.compress.TechniqueReport;
import java.util.List;

/** What structured pruning did: every space (pruned, left whole, or frozen and why) and every constant it cut. */
public record PruneReport(PruneConfig config, List<PrunedTensor> tensors, List<PrunedSpace> spaces,
                          List<Decision> decisions, List<String> notes) implements TechniqueReport {

    public PruneReport {
        tensors = List.copyOf(tensors);
        spaces = List.copyOf(spaces);
        decisions = List.copyOf(decisions);
        notes = List.copyOf(notes);
    }

    @Override
    public String technique() {
        return PruneConfig.NAME;
    }
}
