package dev.bantam.compress.optimize;

import dev.bantam.compress.Decision;
import dev.bantam.compress.TechniqueReport;
import dev.bantam.compress.TensorEntry;
import dev.bantam.onnx.pass.PassManager;
import java.util.List;

/** What the optimizer did: every pass run (with what it changed), and the node count before and after. */
public record OptimizeReport(OptimizeConfig config, List<PassManager.Run> runs, int nodesBefore, int nodesAfter,
                             List<String> notes) implements TechniqueReport {

    public OptimizeReport {
        runs = List.copyOf(runs);
        notes = List.copyOf(notes);
    }

    @Override
    public String technique() {
        return OptimizeConfig.NAME;
    }

    @Override
    public List<TensorEntry> tensors() {
        return List.of();
    }

    @Override
    public List<Decision> decisions() {
        return List.of();
    }
}
