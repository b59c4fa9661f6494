package dev.bantam.compress;

import java.util.List;

/**
 * A group whose activation ranges the accuracy guard chose by another calibration method than the config's,
 * because that lowered the output error more than any other method tried.
 *
 * @param group       the group's anchor
 * @param activations the activations whose ranges changed
 * @param method      the method chosen (e.g. "percentile 99.99", "mse")
 * @param lossBefore  the model's loss (budget units, 1 = the budget) before the change
 * @param lossAfter   and after it
 */
public record CalibrationChoice(String group, List<String> activations, String method, double lossBefore,
                                double lossAfter) {

    public CalibrationChoice {
        activations = List.copyOf(activations);
    }
}
