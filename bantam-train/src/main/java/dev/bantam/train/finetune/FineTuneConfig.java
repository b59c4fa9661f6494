package dev.bantam.train.finetune;

import dev.bantam.compress.TechniqueConfig;
import dev.bantam.train.loop.TrainConfig;

/**
 * The {@code fine-tune} recipe step: train the model on the step's labelled data with cross-entropy on its
 * logits output (null: the first output), from its own weights or fresh ones, with a checkpoint file written after
 * every epoch (and resumed from, with {@code resume}).
 */
public record FineTuneConfig(String output, boolean reinit, TrainConfig train, String checkpoint, boolean resume)
        implements TechniqueConfig {

    public FineTuneConfig {
        if (train == null) {
            throw new IllegalArgumentException("train settings are required");
        }
        if (resume && checkpoint == null) {
            throw new IllegalArgumentException("resume needs a checkpoint file");
        }
    }

    public static FineTuneConfig defaults() {
        return new FineTuneConfig(null, false, TrainConfig.defaults(), null, false);
    }

    @Override
    public String technique() {
        return "fine-tune";
    }
}
