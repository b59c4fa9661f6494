package dev.bantam.compress.lowrank;

/**
 * How ranks are chosen: one method and its one setting (the others null), ranks rounded up to a multiple.
 *
 * @param method       energy, ratio, fixed or sensitivity
 * @param energy       ENERGY: fraction of the energy kept, in (0, 1] (default 0.9)
 * @param ratio        RATIO: fraction of each layer's parameters kept, in (0, 1) (default 0.5)
 * @param rank         FIXED: the rank
 * @param macReduction SENSITIVITY: the fraction of the model's MACs to remove, in (0, 1) (default 0.25)
 * @param multiple     ranks rounded up to a multiple of this (8 by default: vector units like it)
 * @param scoreItems   SENSITIVITY: evaluation items each candidate is scored on
 */
public record RankRule(RankMethod method, Double energy, Double ratio, Integer rank, Double macReduction, int multiple,
                       int scoreItems) {

    public RankRule {
        if (method == null) {
            throw new IllegalArgumentException("a rank method is required (energy, ratio, fixed or sensitivity)");
        }
        energy = only(method, RankMethod.ENERGY, energy, 0.9, "energy");
        ratio = only(method, RankMethod.RATIO, ratio, 0.5, "ratio");
        macReduction = only(method, RankMethod.SENSITIVITY, macReduction, 0.25, "macReduction");
        if (method == RankMethod.FIXED && rank == null) {
            throw new IllegalArgumentException("fixed ranks need a rank");
        }
        if (method != RankMethod.FIXED && rank != null) {
            throw new IllegalArgumentException("a rank applies to the fixed method only");
        }
        if (energy != null && !(energy > 0 && energy <= 1)) {
            throw new IllegalArgumentException("energy must be in (0, 1], got " + energy);
        }
        if (ratio != null && !(ratio > 0 && ratio < 1)) {
            throw new IllegalArgumentException("ratio must be in (0, 1), got " + ratio);
        }
        if (macReduction != null && !(macReduction > 0 && macReduction < 1)) {
            throw new IllegalArgumentException("macReduction must be in (0, 1), got " + macReduction);
        }
        if (rank != null && rank < 1) {
            throw new IllegalArgumentException("rank must be >= 1, got " + rank);
        }
        if (multiple < 1) {
            throw new IllegalArgumentException("the rank multiple must be >= 1, got " + multiple);
        }
        if (scoreItems < 1) {
            throw new IllegalArgumentException("scoreItems must be >= 1, got " + scoreItems);
        }
    }

    /** The setting of {@code owner}: its default when the method is owner's and it is unset; refused otherwise. */
    private static Double only(RankMethod method, RankMethod owner, Double v, double dflt, String name) {
        if (method != owner && v != null) {
            throw new IllegalArgumentException(name + " applies to the " + owner.name().toLowerCase(java.util.Locale.ROOT)
                    + " method only");
        }
        return method == owner ? (v == null ? dflt : v) : null;
    }

    public static RankRule energy(double e) {
        return new RankRule(RankMethod.ENERGY, e, null, null, null, 8, 256);
    }

    public static RankRule ratio(double r) {
        return new RankRule(RankMethod.RATIO, null, r, null, null, 8, 256);
    }

    public static RankRule fixed(int rank) {
        return new RankRule(RankMethod.FIXED, null, null, rank, null, 8, 256);
    }

    public static RankRule sensitivity(double macReduction) {
        return new RankRule(RankMethod.SENSITIVITY, null, null, null, macReduction, 8, 256);
    }

    public RankRule withMultiple(int m) {
        return new RankRule(method, energy, ratio, rank, macReduction, m, scoreItems);
    }

    /** {@code r} rounded up to the multiple, within [1, full]. */
    int round(int r, int full) {
        int m = (int) Math.ceil(Math.max(1, r) / (double) multiple) * multiple;
        return Math.max(1, Math.min(full, m));
    }
}
