package dev.bantam.compress.share;

import dev.bantam.compress.Decision;
import dev.bantam.compress.TechniqueReport;
import java.util.List;

/** What weight sharing did: every shared tensor (worst SQNR first), decisions, notes, stored bytes before and after. */
public record WeightSharingReport(WeightSharingConfig config, List<SharedTensor> tensors, List<Decision> decisions,
                                  List<String> notes, long bytesBefore, long bytesAfter) implements TechniqueReport {

    public WeightSharingReport {
        tensors = List.copyOf(tensors);
        decisions = List.copyOf(decisions);
        notes = List.copyOf(notes);
    }

    @Override
    public String technique() {
        return WeightSharingConfig.NAME;
    }
}
