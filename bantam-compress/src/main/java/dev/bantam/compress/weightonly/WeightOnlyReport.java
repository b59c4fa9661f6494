package dev.bantam.compress.weightonly;

import dev.bantam.compress.Decision;
import dev.bantam.compress.TechniqueReport;
import java.util.List;

/** What weight-only quantization did: every quantized weight (worst SQNR first), decisions, notes, bytes. */
public record WeightOnlyReport(WeightOnlyConfig config, List<WeightOnlyTensor> tensors, List<Decision> decisions,
                               List<String> notes, long bytesBefore, long bytesAfter) implements TechniqueReport {

    public WeightOnlyReport {
        tensors = List.copyOf(tensors);
        decisions = List.copyOf(decisions);
        notes = List.copyOf(notes);
    }

    @Override
    public String technique() {
        return WeightOnlyConfig.NAME;
    }
}
