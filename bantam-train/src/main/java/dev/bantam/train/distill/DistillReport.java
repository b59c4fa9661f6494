package dev.bantam.train.distill;

import dev.bantam.compress.Decision;
import dev.bantam.compress.TechniqueReport;
import dev.bantam.compress.TensorEntry;
import dev.bantam.train.loop.TrainReport;
import java.util.List;

/**
 * What a distillation step did: its config, the training run (epochs, losses, accuracy, speed, the epoch
 * kept, why it stopped), the weights it wrote back and notes.
 */
public record DistillReport(DistillStepConfig config, TrainReport training, List<String> trainedWeights,
        List<String> notes) implements TechniqueReport {

    public DistillReport {
        trainedWeights = List.copyOf(trainedWeights);
        notes = List.copyOf(notes);
    }

    @Override
    public String technique() {
        return "distill";
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
