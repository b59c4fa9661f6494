package dev.bantam.train.loop;

/**
 * How to train: epochs and batch size, the optimizer and its learning rate, momentum and decoupled weight
 * decay, a cosine schedule with linear warm-up, gradient clipping by global norm, the seed (shuffling,
 * augmentation, re-initialisation), a validation split with early stopping, BatchNormalization's mode and
 * image augmentation. Validated on construction.
 *
 * @param warmup fraction of all steps spent warming up linearly from zero
 * @param gradientClip largest global gradient norm; 0 turns clipping off
 * @param validation fraction of the training data held out for validation (0: none)
 * @param patience epochs without a better validation loss before stopping (0: never stop early)
 * @param threads the engine's intra-op threads (0: the engine's default)
 */
public record TrainConfig(int epochs, int batchSize, OptimizerKind optimizer, double learningRate, double momentum,
        double weightDecay, double warmup, Schedule schedule, double gradientClip, long seed, double validation,
        int patience, int threads, BatchNormMode batchNorm, Augment augment) {

    public enum OptimizerKind { SGD, ADAMW }

    public enum Schedule { COSINE, CONSTANT }

    /** BatchNormalization during training: batch statistics (and moving running ones), or the running ones. */
    public enum BatchNormMode { TRAIN, EVAL }

    /** Image augmentation: none, or a random horizontal flip and a shift of up to two pixels. */
    public enum Augment { NONE, FLIP_SHIFT }

    public TrainConfig {
        require(epochs >= 1 && epochs <= 100_000, "epochs must be between 1 and 100000, not " + epochs);
        require(batchSize >= 1 && batchSize <= 65_536, "batch size must be between 1 and 65536, not " + batchSize);
        require(optimizer != null && schedule != null && batchNorm != null && augment != null,
                "optimizer, schedule, batch-norm mode and augmentation must be set");
        require(learningRate > 0 && learningRate < 100, "learning rate must be in (0, 100), not " + learningRate);
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), not " + momentum);
        require(weightDecay >= 0 && weightDecay < 1, "weight decay must be in [0, 1), not " + weightDecay);
        require(warmup >= 0 && warmup <= 0.5, "warm-up must be a fraction of the steps in [0, 0.5], not " + warmup);
        require(gradientClip >= 0, "gradient clip must be >= 0, not " + gradientClip);
        require(validation >= 0 && validation <= 0.5, "validation must be a fraction in [0, 0.5], not " + validation);
        require(patience >= 0, "patience must be >= 0, not " + patience);
        require(threads >= 0 && threads <= 1024, "threads must be between 0 and 1024, not " + threads);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** AdamW at 1e-3, batch 64, 5 epochs, cosine with 5% warm-up, weight decay 0.01, clip at 5, seed 1. */
    public static TrainConfig defaults() {
        return new TrainConfig(5, 64, OptimizerKind.ADAMW, 1e-3, 0.9, 0.01, 0.05, Schedule.COSINE, 5.0, 1, 0, 0, 0,
                BatchNormMode.TRAIN, Augment.NONE);
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(e, batchSize, optimizer, learningRate, momentum, weightDecay, warmup, schedule,
                gradientClip, seed, validation, patience, threads, batchNorm, augment);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, warmup, schedule,
                gradientClip, s, validation, patience, threads, batchNorm, augment);
    }

    public TrainConfig withOptimizer(OptimizerKind o, double lr) {
        return new TrainConfig(epochs, batchSize, o, lr, momentum, weightDecay, warmup, schedule, gradientClip, seed,
                validation, patience, threads, batchNorm, augment);
    }

    public TrainConfig withBatchSize(int b) {
        return new TrainConfig(epochs, b, optimizer, learningRate, momentum, weightDecay, warmup, schedule,
                gradientClip, seed, validation, patience, threads, batchNorm, augment);
    }

    public TrainConfig withValidation(double fraction, int patienceEpochs) {
        return new TrainConfig(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, warmup, schedule,
                gradientClip, seed, fraction, patienceEpochs, threads, batchNorm, augment);
    }

    public TrainConfig withAugment(Augment a) {
        return new TrainConfig(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, warmup, schedule,
                gradientClip, seed, validation, patience, threads, batchNorm, a);
    }

    public TrainConfig withThreads(int t) {
        return new TrainConfig(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, warmup, schedule,
                gradientClip, seed, validation, patience, t, batchNorm, augment);
    }

    /** The learning rate at step {@code step} (0-based) of {@code total}. */
    public double learningRateAt(long step, long total) {
        long warm = Math.round(warmup * total);
        if (step < warm) {
            return learningRate * (step + 1) / warm;
        }
        if (schedule == Schedule.CONSTANT) {
            return learningRate;
        }
        double progress = (step - warm) / (double) Math.max(1, total - warm);
        return learningRate * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
    }
}
