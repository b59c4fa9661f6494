package dev.bantam.train.finetune;

import dev.bantam.compress.Decision;
import dev.bantam.compress.TechniqueReport;
import dev.bantam.compress.TensorEntry;
import dev.bantam.train.loop.TrainReport;
import java.util.List;

/** What a fine-tuning step did: its config, the training run, the weights written back, notes. */
public record FineTuneReport(FineTuneConfig config, TrainReport training, List<String> trainedWeights,
        List<String> notes) implements TechniqueReport {

    public FineTuneReport {
        trainedWeights = List.copyOf(trainedWeights);
        notes = List.copyOf(notes);
    }

    @Override
    public String technique() {
        return "fine-tune";
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
