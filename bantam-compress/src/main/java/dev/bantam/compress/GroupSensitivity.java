package dev.bantam.compress;

/**
 * How much one group (a weighted layer or table and the operators joined to it) costs in quality, measured
 * against the float model on held-out data two ways: with only this group quantized, and with every group but
 * this one quantized. Losses are in budget units ({@link AccuracyGuard#loss}: 1 is the whole budget).
 *
 * @param onlyThis     the score with only this group quantized
 * @param allButThis   the score with every other group quantized and this one in float
 * @param lossAlone    the loss with only this group quantized
 * @param recovery     the loss of the fully quantized model minus the loss with this group in float: what
 *                     returning it alone wins back
 * @param sensitivity  the order the guard returns groups to float in (largest first): the mean of the two
 */
public record GroupSensitivity(String group, String opType, Score onlyThis, Score allButThis, double lossAlone,
                               double recovery, double sensitivity) {
}
