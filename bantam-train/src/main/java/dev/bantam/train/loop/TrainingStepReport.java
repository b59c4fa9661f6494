package dev.bantam.train.loop;

import dev.bantam.compress.Decision;
import dev.bantam.compress.TechniqueReport;
import dev.bantam.compress.TensorEntry;
import java.util.List;

/** The report of a step that trains (distill, fine-tune): the run, the weights written back; no tensors replaced. */
public interface TrainingStepReport extends TechniqueReport {

    TrainReport training();

    List<String> trainedWeights();

    @Override
    default List<? extends TensorEntry> tensors() {
        return List.of();
    }

    @Override
    default List<Decision> decisions() {
        return List.of();
    }
}
