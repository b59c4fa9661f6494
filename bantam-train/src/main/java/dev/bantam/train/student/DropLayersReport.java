package dev.bantam.train.student;

import dev.bantam.compress.Decision;
import dev.bantam.compress.TechniqueReport;
import dev.bantam.compress.TensorEntry;
import java.util.List;

/** The layers a drop-layers step kept and bypassed, and the parameters before and after. */
public record DropLayersReport(DropLayersConfig config, List<Integer> kept, List<Integer> dropped,
        long parametersBefore, long parametersAfter, List<String> notes) implements TechniqueReport {

    public DropLayersReport {
        kept = List.copyOf(kept);
        dropped = List.copyOf(dropped);
        notes = List.copyOf(notes);
    }

    @Override
    public String technique() {
        return "drop-layers";
    }

    @Override
    public List<? extends TensorEntry> tensors() {
        return List.of();
    }

    @Override
    public List<Decision> decisions() {
        return List.of();
    }
}
