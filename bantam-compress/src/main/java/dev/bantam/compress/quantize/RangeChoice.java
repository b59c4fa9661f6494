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

    String label() {
        return method == CalibrationMethod.PERCENTILE
                ? String.format(Locale.ROOT, "percentile %s", java.math.BigDecimal.valueOf(percentile).stripTrailingZeros()
                .toPlainString())
                : method.label();
    }
}
