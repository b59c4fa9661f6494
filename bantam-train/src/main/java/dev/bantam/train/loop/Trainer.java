package dev.bantam.train.loop;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.data.Batch;
import dev.bantam.runtime.data.DataSource;
import dev.bantam.train.graph.Constants;
import dev.bantam.train.graph.Torch;
import dev.bantam.train.graph.TrainableGraph;
import dev.bantam.train.optim.Optimizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training loop: data read in windows of consecutive items and shuffled within them (memory bounded by the
 * window, see {@link Split}), forward and backward on the engine, global-norm clipping, the optimizer with its schedule, a validation split with
 * early stopping that keeps the best epoch's weights, and checkpoints to resume from. Same seed, same data,
 * same threads: the same weights.
 */
public final class Trainer {

    private final TrainConfig config;
    private final TrainListener listener;
    private Path checkpoint;
    private Path resumeFrom;

    public Trainer(TrainConfig config, TrainListener listener) {
        this.config = config;
        this.listener = listener;
    }

    /** Writes a checkpoint to {@code file} after every epoch. */
    public Trainer checkpointTo(Path file) {
        this.checkpoint = file;
        return this;
    }

    /** Continues the run saved in {@code file} (same model, same config). */
    public Trainer resumeFrom(Path file) {
        this.resumeFrom = file;
        return this;
    }

    public TrainReport train(TrainableGraph graph, DataSource data, Objective objective) {
        if (objective.needsLabels() && !data.hasLabels()) {
            throw new IllegalArgumentException("the loss needs labels and the training data has none ("
                    + data.describe() + ")");
        }
        Torch.configure(config.threads(), config.seed());
        Split split = Split.of(data.size(), config.validation(), config.batchSize());
        if (split.trainItems() < 1) {
            throw new IllegalArgumentException("no training items left after the validation split of " + data.size());
        }
        objective.prepare(graph, data);
        Map<String, NDArray> params = new LinkedHashMap<>(graph.parameters());
        params.putAll(objective.parameters());
        long stepsPerEpoch = (split.trainItems() + config.batchSize() - 1) / config.batchSize();
        long totalSteps = stepsPerEpoch * config.epochs();
        List<TrainReport.Epoch> epochs = new ArrayList<>();
        try (Optimizer optimizer = Optimizer.of(config);
             NDManager base = NDManager.newBaseManager();
             BestWeights best = new BestWeights()) {
            int start = 0;
            if (resumeFrom != null) {
                Checkpoint.Loaded c = Checkpoint.read(resumeFrom, graph, params, optimizer, config);
                start = c.epoch();
                epochs.addAll(c.history());
            }
            String stop = "ran " + config.epochs() + " epochs";
            int sinceBest = 0;
            for (int epoch = start + 1; epoch <= config.epochs(); epoch++) {
                TrainReport.Epoch e = epoch(graph, data, objective, params, optimizer, base, split, epoch,
                        stepsPerEpoch, totalSteps);
                epochs.add(e);
                if (checkpoint != null) {
                    Checkpoint.write(checkpoint, graph, params, optimizer, config, epoch, epochs);
                }
                listener.epoch(e);
                if (split.validationItems() > 0) {
                    if (best.offer(epoch, e.validationLoss(), params, graph.state())) {
                        sinceBest = 0;
                    } else if (config.patience() > 0 && ++sinceBest >= config.patience()) {
                        stop = "stopped early after epoch " + epoch + ": validation loss not better for "
                                + config.patience() + " epochs";
                        break;
                    }
                }
            }
            int kept = epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).epoch();
            if (best.epoch() > 0 && best.epoch() != kept) {
                best.restore(params, graph.state());
                kept = best.epoch();
            }
            return new TrainReport(config, objective.describe(), graph.parameterCount(), split.trainItems(),
                    split.validationItems(), epochs, kept, stop, start);
        }
    }

    private TrainReport.Epoch epoch(TrainableGraph graph, DataSource data, Objective objective,
            Map<String, NDArray> params, Optimizer optimizer, NDManager base, Split split, int epoch,
            long stepsPerEpoch, long totalSteps) {
        SplittableRandom augment = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + epoch);
        boolean bnTrain = config.batchNorm() == TrainConfig.BatchNormMode.TRAIN;
        long t0 = System.nanoTime();
        double lossSum = 0;
        long hits = 0;
        long seen = 0;
        double lr = 0;
        int s = 0;
        for (Split.Window w : split.epoch(config.seed(), epoch)) {
            Batch window = data.batch(w.start(), w.order().length);
            for (int from = 0; from < w.order().length; from += config.batchSize()) {
                int[] rows = java.util.Arrays.copyOfRange(w.order(), from,
                        Math.min(w.order().length, from + config.batchSize()));
                lr = config.learningRateAt((epoch - 1) * stepsPerEpoch + s, totalSteps);
                try (NDManager step = base.newSubManager()) {
                    StepBatch batch = load(window, w.start(), rows, step, augment);
                    double loss;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        Map<String, NDArray> out = graph.forward(step, batch.feeds(), bnTrain,
                                objective.studentValues());
                        Objective.Loss l = objective.loss(batch, out, step);
                        loss = l.total().getFloat();
                        if (!Double.isFinite(loss)) {
                            throw new IllegalStateException("the loss became " + loss + " at epoch " + epoch
                                    + ", step " + (s + 1) + " (learning rate " + lr + "; terms " + values(l.terms())
                                    + "): lower the learning rate or clip gradients");
                        }
                        gc.backward(l.total());
                        hits += batch.labels() == null ? 0 : accuracyHits(out.values().iterator().next(),
                                batch.labels());
                    }
                    Map<String, NDArray> grads = Gradients.take(params, step);
                    double norm = Gradients.clip(grads, config.gradientClip());
                    if (Double.isInfinite(norm) || config.gradientClip() > 0 && Double.isNaN(norm)) {
                        throw new IllegalStateException("the gradients became " + norm + " at epoch " + epoch
                                + ", step " + (s + 1) + " (learning rate " + lr + ", loss " + loss
                                + "): lower the learning rate");
                    }
                    optimizer.update(params, grads, lr, step);
                    params.values().forEach(Torch::zeroGrad);
                    lossSum += loss * rows.length;
                    seen += rows.length;
                }
                s++;
                double secs = (System.nanoTime() - t0) / 1e9;
                listener.step(epoch, s, (int) stepsPerEpoch, lossSum / seen,
                        data.hasLabels() ? hits / (double) seen : Double.NaN, seen / secs);
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double[] val = split.validationItems() == 0 ? new double[] {Double.NaN, Double.NaN}
                : validate(graph, data, objective, base, split);
        return new TrainReport.Epoch(epoch, lossSum / seen, data.hasLabels() ? hits / (double) seen : Double.NaN,
                val[0], val[1], seen / secs, lr, secs);
    }

    private static Map<String, Float> values(Map<String, NDArray> terms) {
        Map<String, Float> v = new java.util.TreeMap<>();
        terms.forEach((k, a) -> v.put(k, a.getFloat()));
        return v;
    }

    private static long accuracyHits(NDArray logits, NDArray labels) {
        return logits.getShape().dimension() == 2 ? Losses.hits(logits, labels) : 0;
    }

    /** Loss and accuracy on the validation items (the tail of the data), in evaluation mode. */
    private double[] validate(TrainableGraph graph, DataSource data, Objective objective, NDManager base,
            Split split) {
        double lossSum = 0;
        long hits = 0;
        int first = split.trainItems();
        for (int from = 0; from < split.validationItems(); from += config.batchSize()) {
            int n = Math.min(config.batchSize(), split.validationItems() - from);
            int[] rows = new int[n];
            java.util.Arrays.setAll(rows, i -> i);
            try (NDManager step = base.newSubManager()) {
                StepBatch batch = load(data.batch(first + from, n), first + from, rows, step, null);
                Map<String, NDArray> out = graph.forward(step, batch.feeds(), false, objective.studentValues());
                lossSum += objective.loss(batch, out, step).total().getFloat() * n;
                hits += batch.labels() == null ? 0 : accuracyHits(out.values().iterator().next(), batch.labels());
            }
        }
        int v = split.validationItems();
        return new double[] {lossSum / v, data.hasLabels() ? hits / (double) v : Double.NaN};
    }

    /** Rows {@code rows} of {@code window} (whose first item is {@code start}) as a step's batch. */
    private StepBatch load(Batch window, int start, int[] rows, NDManager step, SplittableRandom augment) {
        Batch read = Batches.select(window, rows);
        int[] items = new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
            items[k] = start + rows[k];
        }
        boolean augmented = augment != null && config.augment() == TrainConfig.Augment.FLIP_SHIFT;
        Map<String, Tensor> fed = new LinkedHashMap<>();
        read.feeds().forEach((name, t) -> fed.put(name, augmented ? Augmentation.flipShift(t, augment) : t));
        Batch b = new Batch(fed, read.labels(), read.count());
        return new StepBatch(items, b, Constants.feeds(step, fed),
                b.labels() == null ? null : Constants.labels(step, b.labels()), augmented);
    }
}
