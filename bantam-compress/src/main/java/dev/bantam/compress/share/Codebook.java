package dev.bantam.compress.share;

/** Which values a shared weight may take. */
public enum Codebook {
    /** k-means centroids of the weights (Han et al., Deep Compression, 2016) */
    KMEANS,
    /** evenly spaced levels between the smallest and the largest weight: round to nearest, stored as DequantizeLinear */
    UNIFORM,
    /** zero and ±α·2^-j: power-of-two levels (Miyashita et al., 2016; INQ, Zhou et al., 2017) */
    LOG2,
    /** zero and ±α·√2^-j: a finer logarithmic grid */
    LOG_SQRT2;

    public boolean logarithmic() {
        return this == LOG2 || this == LOG_SQRT2;
    }
}
