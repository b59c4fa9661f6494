package dev.bantam.compress.weightonly;

/** How weights are rounded to their blocks. */
public enum WeightOnlyAlgorithm {
    /** Round to nearest with min-max block parameters: data-free. */
    RTN,
    /** Half-quadratic optimisation of each block's zero point (integer here), scale refitted: data-free. */
    HQQ,
    /** Rounding errors moved into the weights not yet rounded, by the inputs' Hessian: needs calibration data. */
    GPTQ,
    /**
     * Weights scaled up where the input is large (the division folded into the input's producer or a Mul), then
     * each block's range clipped for the lowest output error: needs calibration data.
     */
    AWQ;

    public boolean needsData() {
        return this == GPTQ || this == AWQ;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
