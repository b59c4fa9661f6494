package dev.bantam.compress.quantize.calibrate;

/** A calibrated range {@code [lo, hi]} and the fraction of observed values that fall outside it. */
public record Range(double lo, double hi, double clippedFraction) {
}
