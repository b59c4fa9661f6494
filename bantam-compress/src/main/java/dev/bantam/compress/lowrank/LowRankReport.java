package dev.bantam.compress.lowrank;

import dev.bantam.compress.Decision;
import dev.bantam.compress.TechniqueReport;
import java.util.List;

/** What low-rank factorization did: every factorized layer (worst SQNR first), decisions, notes. */
public record LowRankReport(LowRankConfig config, List<FactorizedLayer> tensors, List<Decision> decisions,
                            List<String> notes) implements TechniqueReport {

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
