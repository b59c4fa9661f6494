package dev.bantam.compress;

/**
 * How close a candidate model's outputs are to a reference model's on evaluation data, for the first output:
 * per-item cosine (mean, 1st percentile, minimum), signal-to-noise ratio and largest absolute error; for
 * outputs that are class scores, the top-1 agreement; for [items, positions, classes] outputs the per-position top-1
 * agreement (null otherwise); with labels, each model's top-1 accuracy (null without).
 */
public record Score(int items, String output, double meanCosine, double p1Cosine, double minCosine, double sqnrDb,
                   double maxAbsError, Double top1Agreement, Double positionAgreement, Double referenceTop1,
                   Double candidateTop1) {
}
