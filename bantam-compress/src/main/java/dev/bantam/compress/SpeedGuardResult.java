package dev.bantam.compress;

import java.util.List;

/**
 * What a speed guard measured and did, in milliseconds per batch on real data, medians of interleaved rounds.
 *
 * @param batch       items per timed run
 * @param floatMs     the float model
 * @param allMs       the model with every group the accuracy guard allowed in int8
 * @param resultMs    the model written
 * @param keptFloat   groups returned to float because the model ran faster without them in int8
 * @param perGroup    the model's time with each group alone returned to float (empty when not measured)
 * @param layout      the int8 layout written (e.g. "QDQ, per-channel weights, U8S8")
 * @param layouts     every layout timed with every allowed group int8, the config's first; allMs is the chosen one's
 */
public record SpeedGuardResult(int batch, double floatMs, double allMs, double resultMs, List<String> keptFloat,
                               List<GroupTime> perGroup, String layout, List<LayoutTime> layouts) {

    public SpeedGuardResult {
        keptFloat = List.copyOf(keptFloat);
        perGroup = List.copyOf(perGroup);
        layouts = List.copyOf(layouts);
    }

    /** This result with no group returned to float (the model written is the all-int8 one). */
    public SpeedGuardResult withoutReturns() {
        return new SpeedGuardResult(batch, floatMs, allMs, allMs, List.of(), perGroup, layout, layouts);
    }

    /** The written model's speed against float: above 1 it is faster. */
    public double speedup() {
        return floatMs / resultMs;
    }

    /**
     * One layout's time with every allowed group int8; {@code accurate} is false when it was faster but broke the
     * accuracy budget (so it was not chosen), null when not checked.
     */
    public record LayoutTime(String layout, double ms, Boolean accurate) {
    }

    /** One group's time: the model with it alone in float. */
    public record GroupTime(String group, double ms) {
    }
}
