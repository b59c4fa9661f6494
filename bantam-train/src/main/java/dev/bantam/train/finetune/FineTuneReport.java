package dev.bantam.train.finetune;

import dev.bantam.train.loop.TrainReport;
import dev.bantam.train.loop.TrainingStepReport;
import java.util.List;

/** What a fine-tuning step did: its config, the training run, the weights written back, notes. */
public record FineTuneReport(FineTuneConfig config, TrainReport training, List<String> trainedWeights,
        List<String> notes) implements TrainingStepReport {

    public FineTuneReport {
        trainedWeights = List.copyOf(trainedWeights);
        notes = List.copyOf(notes);
    }

    @Override
    public String technique() {
        return "fine-tune";
    }
}
