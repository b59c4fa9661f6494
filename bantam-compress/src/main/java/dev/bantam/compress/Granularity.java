package dev.bantam.compress;

/** How many scales a weight gets: one, one per output channel, or one per block of the reduction axis. */
public enum Granularity {
    PER_TENSOR, PER_CHANNEL, PER_BLOCK
}
