package dev.bantam.compress.quantize;

import dev.bantam.compress.Decision;
import dev.bantam.compress.GuardResult;
import dev.bantam.compress.SpeedGuardResult;
import dev.bantam.compress.TechniqueConfig;
import dev.bantam.compress.TechniqueReport;
import java.util.List;

/**
 * What quantization did: the config, every quantized tensor (worst SQNR first), a decision for every node it
 * considered, notes (pre-steps, calibration data), the bytes of the quantized weights before and after, and
 * the number of items calibration ran on (0 for dynamic quantization), and what the accuracy guard measured and
 * kept in float (null when no guard ran), and what the speed guard timed and returned to float (null when it did not
 * run).
 */
public record QuantizeReport(String technique, TechniqueConfig config, List<QuantizedTensor> tensors,
                             List<Decision> decisions, List<String> notes, long floatBytes, long quantizedBytes,
                             long calibrationItems, GuardResult guard,
                             SpeedGuardResult speedGuard)
        implements TechniqueReport {

    public QuantizeReport {
        tensors = List.copyOf(tensors);
        decisions = List.copyOf(decisions);
        notes = List.copyOf(notes);
    }

    public long count(TensorKind kind) {
        return tensors.stream().filter(t -> t.kind() == kind).count();
    }
}
