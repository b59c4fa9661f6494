package dev.bantam.train.distill;

import dev.bantam.train.loop.TrainReport;
import dev.bantam.train.loop.TrainingStepReport;
import java.util.List;

/**
 * What a distillation step did: its config, the training run (epochs, losses, accuracy, speed, the epoch
 * kept, why it stopped), the weights it wrote back and notes.
 */
public record DistillReport(DistillStepConfig config, TrainReport training, List<String> trainedWeights,
        List<String> notes) implements TrainingStepReport {

    public DistillReport {
        trainedWeights = List.copyOf(trainedWeights);
        notes = List.copyOf(notes);
    }

    @Override
    public String technique() {
        return "distill";
    }
}
