package dev.bantam.compress.quantize;

import dev.bantam.compress.CalibrationSettings;
import dev.bantam.compress.quantize.calibrate.CalibrationMethod;
import java.util.Map;
import java.util.TreeMap;

/**
 * How static quantization calibrates activation ranges.
 *
 * @param method     how a range is chosen from an activation's histogram
 * @param percentile for {@code PERCENTILE} only (default 99.999): the percentile kept at each end, in (50, 100]
 * @param samples    calibration items to run (at most what the data has)
 * @param batchSize  items per run
 * @param perActivation methods for single activations (by value name) in place of {@code method}, as labels
 *                   ({@code minmax}, {@code mse}, {@code entropy}, {@code percentile 99.99}); the accuracy guard's
 *                   choices, which a model's recorded recipe fixes this way
 */
public record Calibration(CalibrationMethod method, Double percentile, int samples, int batchSize,
                          Map<String, String> perActivation) {

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
        perActivation = perActivation == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(perActivation));
        perActivation.forEach((name, label) -> RangeChoice.parse(label, "calibration.perActivation." + name));
    }

    public Calibration(CalibrationMethod method, Double percentile, int samples, int batchSize) {
        this(method, percentile, samples, batchSize, Map.of());
    }

    public static Calibration defaults() {
        return new Calibration(CalibrationMethod.MINMAX, null, 500, 16);
    }

    public CalibrationSettings settings() {
        return new CalibrationSettings(samples, batchSize);
    }

    public Calibration withMethod(CalibrationMethod m, Double pct) {
        return new Calibration(m, pct, samples, batchSize, perActivation);
    }

    public Calibration withSamples(int n, int batch) {
        return new Calibration(method, percentile, n, batch, perActivation);
    }

    /** These settings with {@code choices} for single activations, added to (and replacing) any already set. */
    public Calibration withPerActivation(Map<String, String> choices) {
        Map<String, String> all = new TreeMap<>(perActivation);
        all.putAll(choices);
        return new Calibration(method, percentile, samples, batchSize, all);
    }
}
