package dev.bantam.compress.quantize;

import dev.bantam.compress.quantize.calibrate.CalibrationMethod;
import java.util.List;
import java.util.Locale;

/**
 * A calibration method for one activation, chosen by the accuracy guard in place of the config's: the method and,
 * for {@code PERCENTILE}, the percentile kept at each end.
 */
record RangeChoice(CalibrationMethod method, double percentile) {

    /** What the guard tries on the activations of a group that breaks the budget, besides the config's method. */
    static final List<RangeChoice> TRIALS = List.of(
            new RangeChoice(CalibrationMethod.MINMAX, 100),
            new RangeChoice(CalibrationMethod.PERCENTILE, 99.999),
            new RangeChoice(CalibrationMethod.PERCENTILE, 99.99),
            new RangeChoice(CalibrationMethod.MSE, 100),
            new RangeChoice(CalibrationMethod.ENTROPY, 100));

    static RangeChoice of(Calibration c) {
        return new RangeChoice(c.method(), c.method() == CalibrationMethod.PERCENTILE ? c.percentile() : 100);
    }

    /** The choice a label names ({@code minmax}, {@code mse}, {@code entropy}, {@code percentile 99.99}). */
    static RangeChoice parse(String label, String where) {
        String[] parts = label.trim().split("\\s+");
        try {
            CalibrationMethod m = CalibrationMethod.parse(parts[0]);
            if (m == CalibrationMethod.PERCENTILE) {
                double p = parts.length == 2 ? Double.parseDouble(parts[1]) : Calibration.DEFAULT_PERCENTILE;
                if (!(p > 50 && p <= 100) || parts.length > 2) {
                    throw new IllegalArgumentException("percentile must be in (50, 100]");
                }
                return new RangeChoice(m, p);
            }
            if (parts.length != 1) {
                throw new IllegalArgumentException(m.label() + " takes no number");
            }
            return new RangeChoice(m, 100);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": '" + label + "' is not a calibration method (minmax, mse, "
                    + "entropy, or percentile P with P in (50, 100]): " + e.getMessage(), e);
        }
    }

    String label() {
        return method == CalibrationMethod.PERCENTILE
                ? String.format(Locale.ROOT, "percentile %s", java.math.BigDecimal.valueOf(percentile).stripTrailingZeros()
                .toPlainString())
                : method.label();
    }
}
