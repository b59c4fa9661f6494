package dev.bantam.compress;

import java.util.List;

/**
 * What an accuracy guard measured and did.
 *
 * @param budget       the budget in words
 * @param groups       groups the plan could quantize (each a weighted layer or table and the operators joined to it)
 * @param data         the held-out data the scores are on
 * @param unguarded    the score of the model with every group quantized
 * @param result       the score of the model written
 * @param holds        whether the model written meets the budget
 * @param keptFloat    the groups returned to float, in the order they were returned
 * @param sensitivity  per group, most sensitive first; empty when the fully quantized model met the budget and no
 *                     analysis was asked for
 * @param calibration  groups whose activations were calibrated by another method than the config's, before any
 *                     group was returned to float
 * @param scored       candidate models scored
 * @param bytesCost    bytes the groups kept in float add to the model against the fully quantized one
 */
public record GuardResult(String budget, int groups, String data, Score unguarded, Score result, boolean holds,
                          List<String> keptFloat, List<GroupSensitivity> sensitivity,
                          List<CalibrationChoice> calibration, int scored, long bytesCost) {

    public GuardResult {
        keptFloat = List.copyOf(keptFloat);
        sensitivity = List.copyOf(sensitivity);
        calibration = List.copyOf(calibration);
    }

    /** This result with the model written rescored (after another guard returned more groups to float). */
    public GuardResult rescored(Score after, AccuracyGuard guard) {
        return new GuardResult(budget, groups, data, unguarded, after, guard.holds(after), keptFloat, sensitivity,
                calibration, scored + 1, bytesCost);
    }
}
