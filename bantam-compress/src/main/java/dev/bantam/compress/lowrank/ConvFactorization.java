package dev.bantam.compress.lowrank;

/** How a convolution is split in two. */
public enum ConvFactorization {
    /** a k×k convolution to r channels, then a 1×1 convolution to the outputs (channel SVD) */
    CHANNEL,
    /** a kh×1 convolution to r channels, then a 1×kw convolution to the outputs (Jaderberg et al., 2014) */
    SPATIAL,
    /** a 1×1 convolution to r channels, the k×k core r to r, a 1×1 convolution to the outputs (Tucker-2) */
    TUCKER
}
