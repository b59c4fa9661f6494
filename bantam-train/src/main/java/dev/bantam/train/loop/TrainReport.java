package dev.bantam.train.loop;

import java.util.List;

/**
 * What a training run did: the config, the objective, the trainable scalars, each epoch's summary, which
 * epoch's weights were kept (the best on validation when there is a validation split, else the last) and
 * why training stopped.
 */
public record TrainReport(TrainConfig config, String objective, long trainableScalars, int trainItems,
        int validationItems, List<Epoch> epochs, int keptEpoch, String stopReason, int resumedAfterEpoch) {

    public TrainReport {
        epochs = List.copyOf(epochs);
    }

    /**
     * One epoch: mean training loss and accuracy (NaN without labels), validation loss and accuracy (NaN
     * without a validation split), throughput, the learning rate at its end and its wall time.
     */
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
            double validationAccuracy, double itemsPerSecond, double learningRate, double seconds) {
    }
}
