package dev.bantam.runtime.metrics;

/**
 * Whether a dense score map (a text detector's probability map, a segmentation mask) still marks the same
 * places: after a threshold, the fraction of elements on the same side, and the intersection over union of the
 * elements above it.
 */
public final class MapAgreement {

    private final double threshold;
    private long elements;
    private long same;
    private long intersection;
    private long union;

    public MapAgreement(double threshold) {
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("the map threshold must be a finite number, got " + threshold);
        }
        this.threshold = threshold;
    }

    public void add(float[] reference, float[] candidate) {
        for (int i = 0; i < reference.length; i++) {
            boolean r = reference[i] > threshold;
            boolean c = candidate[i] > threshold;
            same += r == c ? 1 : 0;
            intersection += r && c ? 1 : 0;
            union += r || c ? 1 : 0;
        }
        elements += reference.length;
    }

    /** Null when nothing was added. IoU is 1 when neither map marks anything. */
    public Result result() {
        return elements == 0 ? null : new Result(threshold, (double) same / elements,
                union == 0 ? 1.0 : (double) intersection / union, union);
    }

    /**
     * @param agreement fraction of elements on the same side of the threshold as the reference's
     * @param iou       intersection over union of the elements above the threshold
     * @param marked    elements above the threshold in either map
     */
    public record Result(double threshold, double agreement, double iou, long marked) {
    }
}
