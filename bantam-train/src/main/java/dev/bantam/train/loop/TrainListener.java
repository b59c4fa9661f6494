package dev.bantam.train.loop;

/** Progress of a training run; the library reports, the caller shows. */
public interface TrainListener {

    /** After a step: epoch (1-based), step within the epoch, steps per epoch, running loss and accuracy, items/s. */
    void step(int epoch, int step, int steps, double loss, double accuracy, double itemsPerSecond);

    /** After an epoch, with its summary. */
    void epoch(TrainReport.Epoch summary);

    TrainListener NONE = new TrainListener() {
        @Override
        public void step(int epoch, int step, int steps, double loss, double accuracy, double itemsPerSecond) {
        }

        @Override
        public void epoch(TrainReport.Epoch summary) {
        }
    };
}
