package dev.bantam.compress.quantize.calibrate;

import java.util.Locale;

/**
 * How an activation's quantization range is chosen from its {@link Histogram}.
 *
 * <ul>
 *   <li>{@code MINMAX}: the observed minimum and maximum; nothing clips.</li>
 *   <li>{@code PERCENTILE}: each tail is cut at the given percentile (e.g. 99.99), ignoring rare outliers.</li>
 *   <li>{@code ENTROPY}: the symmetric threshold whose 128-level quantized distribution is closest to the
 *       observed one in KL divergence (the TensorRT method).</li>
 *   <li>{@code MSE}: the clipping range that minimizes the expected squared error of rounding plus clipping.</li>
 * </ul>
 */
public enum CalibrationMethod {
    MINMAX, PERCENTILE, ENTROPY, MSE;

    public static CalibrationMethod parse(String s) {
        String k = s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (CalibrationMethod m : values()) {
            if (m.name().toLowerCase(Locale.ROOT).equals(k)) {
                return m;
            }
        }
        if (k.equals("kl")) {
            return ENTROPY;
        }
        throw new IllegalArgumentException("unknown calibration method '" + s + "'; use minmax, percentile, entropy or mse");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
