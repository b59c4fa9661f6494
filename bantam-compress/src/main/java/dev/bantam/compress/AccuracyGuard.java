package dev.bantam.compress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How much quality a technique may lose, measured on held-out data against the float model (the first output),
 * and whether it is checked at all. Every threshold given (not null) that applies to the output must hold.
 *
 * @param enabled              false: nothing is measured and nothing returned to float
 * @param minFidelity          least mean cosine of the outputs, item by item (null: not checked)
 * @param minAgreement         least top-1 agreement, for [items, classes] outputs (null: not checked)
 * @param minPositionAgreement least per-position top-1 agreement, for [items, positions, classes] outputs such
 *                             as CTC text (null: not checked; an embedding's [items, tokens, hidden] has no classes)
 * @param maxDrop              most top-1 accuracy the candidate may lose against the reference on labelled data, as
 *                             a fraction (0.01 = one point); null: not checked
 * @param items                held-out items each candidate is scored on
 * @param analyse              measure every group's sensitivity even when the whole model meets the budget
 */
public record AccuracyGuard(boolean enabled, Double minFidelity, Double minAgreement, Double minPositionAgreement,
                            Double maxDrop, int items, boolean analyse) {

    public AccuracyGuard {
        requireFraction(minFidelity, "minFidelity");
        requireFraction(minAgreement, "minAgreement");
        requireFraction(minPositionAgreement, "minPositionAgreement");
        if (maxDrop != null && !(maxDrop >= 0 && maxDrop < 1)) {
            throw new IllegalArgumentException("guard: maxDrop is a fraction of accuracy in [0, 1), got " + maxDrop);
        }
        if (items < 1) {
            throw new IllegalArgumentException("guard: items must be >= 1, got " + items);
        }
        if (enabled && minFidelity == null && minAgreement == null && minPositionAgreement == null && maxDrop == null) {
            throw new IllegalArgumentException("guard: an enabled guard needs a budget (minFidelity, minAgreement, "
                    + "minPositionAgreement or maxDrop)");
        }
    }

    private static void requireFraction(Double v, String name) {
        if (v != null && !(v > 0 && v <= 1)) {
            throw new IllegalArgumentException("guard: " + name + " must be in (0, 1], got " + v);
        }
    }

    /** On: mean cosine at least 0.99 and, for class outputs, top-1 agreement at least 99%, on 128 held-out items. */
    public static AccuracyGuard defaults() {
        return new AccuracyGuard(true, 0.99, 0.99, null, null, 128, false);
    }

    public static AccuracyGuard off() {
        return new AccuracyGuard(false, 0.99, 0.99, null, null, 128, false);
    }

    /** This guard with exactly the given thresholds (nulls are not checked), on. */
    public AccuracyGuard withBudget(Double fidelity, Double agreement, Double positionAgreement, Double drop) {
        return new AccuracyGuard(true, fidelity, agreement, positionAgreement, drop, items, analyse);
    }

    public AccuracyGuard withItems(int n) {
        return new AccuracyGuard(enabled, minFidelity, minAgreement, minPositionAgreement, maxDrop, n, analyse);
    }

    public AccuracyGuard withAnalyse(boolean all) {
        return new AccuracyGuard(enabled, minFidelity, minAgreement, minPositionAgreement, maxDrop, items, all);
    }

    public AccuracyGuard withEnabled(boolean on) {
        return new AccuracyGuard(on, minFidelity, minAgreement, minPositionAgreement, maxDrop, items, analyse);
    }

    /**
     * How far a score is from breaking the budget: the largest of each applicable threshold's loss over its
     * allowance (1 - threshold, or maxDrop), so the budget holds exactly when this is at most 1. It also ranks
     * candidates: smaller loses less.
     */
    public double loss(Score s) {
        double worst = Double.NEGATIVE_INFINITY;
        if (maxDrop != null) {
            if (s.referenceTop1() == null || s.candidateTop1() == null) {
                throw new IllegalArgumentException("guard: maxDrop needs labelled data (the held-out items have no "
                        + "labels, or the output is not [items, classes]); use minFidelity instead");
            }
            worst = (s.referenceTop1() - s.candidateTop1()) / Math.max(maxDrop, 1e-9);
        }
        if (minFidelity != null) {
            worst = Math.max(worst, over(s.meanCosine(), minFidelity));
        }
        if (minAgreement != null && s.top1Agreement() != null) {
            worst = Math.max(worst, over(s.top1Agreement(), minAgreement));
        }
        if (minPositionAgreement != null && s.positionAgreement() != null) {
            worst = Math.max(worst, over(s.positionAgreement(), minPositionAgreement));
        }
        return worst == Double.NEGATIVE_INFINITY ? 0 : worst;
    }

    private static double over(double value, double threshold) {
        return Double.isNaN(value) ? Double.POSITIVE_INFINITY : (1 - value) / Math.max(1 - threshold, 1e-9);
    }

    public boolean holds(Score s) {
        return loss(s) <= 1;
    }

    /** The budget in words, e.g. "mean cosine >= 0.990, top-1 agreement >= 99.0%". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (maxDrop != null) {
            parts.add(String.format(Locale.ROOT, "top-1 accuracy drop <= %s points", plain(maxDrop * 100)));
        }
        if (minFidelity != null) {
            parts.add(String.format(Locale.ROOT, "mean cosine >= %s", plain(minFidelity)));
        }
        if (minAgreement != null) {
            parts.add(String.format(Locale.ROOT, "top-1 agreement >= %s%%", plain(minAgreement * 100)));
        }
        if (minPositionAgreement != null) {
            parts.add(String.format(Locale.ROOT, "per-position agreement >= %s%%", plain(minPositionAgreement * 100)));
        }
        return String.join(", ", parts);
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).round(new java.math.MathContext(8)).stripTrailingZeros().toPlainString();
    }
}
