package dev.bantam.cli;

import dev.bantam.train.loop.TrainConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The training options of the commands that train (distill, fine-tune). */
final class TrainOptions {

    @Option(names = "--reinit", description = "Start from fresh weights (seeded), as a new model would.")
    boolean reinit;

    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Items per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--optimizer", defaultValue = "adamw", description = "adamw or sgd (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "0.01", description = "Decoupled (AdamW) or L2 (SGD) weight "
            + "decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--warmup", defaultValue = "0.05", description = "Fraction of steps warming up linearly "
            + "(default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--schedule", defaultValue = "cosine", description = "cosine or constant (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--clip", defaultValue = "5", description = "Global gradient-norm clip, 0 for none (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--seed", defaultValue = "1", description = "Shuffling, augmentation and --reinit seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--validation", defaultValue = "0", description = "Fraction of --data (its end) held out for "
            + "validation; the best epoch's weights are kept.")
    double validation;

    @Option(names = "--patience", defaultValue = "0", description = "Epochs without a better validation loss before "
            + "stopping (0: never stop early).")
    int patience;

    @Option(names = "--threads", defaultValue = "0", description = "Training threads (default: the engine's).")
    int threads;

    @Option(names = "--batch-norm", defaultValue = "train", description = "train (batch statistics) or eval "
            + "(running statistics) (default: ${DEFAULT-VALUE}).")
    String batchNorm;

    @Option(names = "--augment", defaultValue = "none", description = "none or flip-shift (images) (default: ${DEFAULT-VALUE}).")
    String augment;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Write a checkpoint after every epoch.")
    Path checkpoint;

    @Option(names = "--resume", description = "Continue the run saved in --checkpoint (same options).")
    boolean resume;

    TrainConfig config() {
        return new TrainConfig(epochs, batchSize, word(optimizer, TrainConfig.OptimizerKind.class, "--optimizer"), lr,
                momentum, weightDecay, warmup, word(schedule, TrainConfig.Schedule.class, "--schedule"), clip, seed,
                validation, patience, threads, word(batchNorm, TrainConfig.BatchNormMode.class, "--batch-norm"),
                word(augment, TrainConfig.Augment.class, "--augment"));
    }

    String checkpointFile() {
        if (resume && checkpoint == null) {
            throw new IllegalArgumentException("--resume needs --checkpoint FILE");
        }
        return checkpoint == null ? null : checkpoint.toString();
    }

    /** The enum constant {@code s} names, written in lower case with hyphens. */
    static <E extends Enum<E>> E word(String s, Class<E> type, String option) {
        String w = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(w)) {
                return e;
            }
            names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new IllegalArgumentException(option + " must be " + String.join(", ", names) + ", not '" + s + "'");
    }
}
