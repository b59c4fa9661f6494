package dev.bantam.compress.lowrank;

/** How each layer's rank is chosen. */
public enum RankMethod {
    /** the smallest rank keeping a fraction of the (whitened, when data-aware) singular-value energy */
    ENERGY,
    /** a fraction of the rank at which factorizing stops paying: the layer keeps that fraction of its parameters */
    RATIO,
    /** the same rank for every layer (capped at each layer's full rank) */
    FIXED,
    /** per-layer ranks from a sensitivity scan on evaluation data, cheapest loss first, until MACs fall by a target */
    SENSITIVITY
}
