package dev.bantam.compress;

/**
 * How much calibration data a technique wants run, and in what batches.
 *
 * @param samples   items to run (at most what the data has)
 * @param batchSize items per run
 */
public record CalibrationSettings(int samples, int batchSize) {

    public CalibrationSettings {
        if (samples < 1) {
            throw new IllegalArgumentException("calibration samples must be >= 1, got " + samples);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("calibration batch size must be >= 1, got " + batchSize);
        }
    }
}
