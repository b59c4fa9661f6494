package dev.bantam.compress.lowrank;

import dev.bantam.compress.Decision;
import dev.bantam.compress.TechniqueReport;
import java.util.List;

/**
 * What low-rank factorization did: every factorized layer (worst SQNR first), decisions, notes, and the batch
 * the layers were timed at (0 when they were not).
 */
public record LowRankReport(LowRankConfig config, List<FactorizedLayer> tensors, List<Decision> decisions,
                            List<String> notes, int timedBatch) implements TechniqueReport {

    public LowRankReport {
        tensors = List.copyOf(tensors);
        decisions = List.copyOf(decisions);
        notes = List.copyOf(notes);
    }

    @Override
    public String technique() {
        return LowRankConfig.NAME;
    }
}
