package dev.bantam.compress.quantize;

import dev.bantam.compress.CalibrationSettings;
import dev.bantam.compress.quantize.calibrate.CalibrationMethod;

/**
 * How static quantization calibrates activation ranges.
 *
 * @param method     how a range is chosen from an activation's histogram
 * @param percentile for {@code PERCENTILE} only (default 99.999): the percentile kept at each end, in (50, 100]
 * @param samples    calibration items to run (at most what the data has)
 * @param batchSize  items per run
 */
public record Calibration(CalibrationMethod method, Double percentile, int samples, int batchSize) {

    public static final double DEFAULT_PERCENTILE = 99.999;

    public Calibration {
        if (method == null) {
            throw new IllegalArgumentException("a calibration method is required (minmax, percentile, entropy or mse)");
        }
        if (method == CalibrationMethod.PERCENTILE) {
            percentile = percentile == null ? DEFAULT_PERCENTILE : percentile;
            if (!(percentile > 50 && percentile <= 100)) {
                throw new IllegalArgumentException("percentile must be in (50, 100], got " + percentile);
            }
        } else if (percentile != null) {
            throw new IllegalArgumentException("a percentile applies to percentile calibration only, not to "
                    + method.label());
        }
        new CalibrationSettings(samples, batchSize); // validates both
    }

    public static Calibration defaults() {
        return new Calibration(CalibrationMethod.MINMAX, null, 500, 16);
    }

    public CalibrationSettings settings() {
        return new CalibrationSettings(samples, batchSize);
    }

    public Calibration withMethod(CalibrationMethod m, Double pct) {
        return new Calibration(m, pct, samples, batchSize);
    }

    public Calibration withSamples(int n, int batch) {
        return new Calibration(method, percentile, n, batch);
    }
}
