package dev.bantam.compress.stats;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The smallest and largest value seen in each channel along an axis (SmoothQuant balances per-channel
 * extremes). NaNs are skipped. Min and max are order-free, so merging is exact.
 */
public final class ChannelExtremes implements Accumulator<ChannelExtremes> {

    private final int axis;
    private float[] min;
    private float[] max;

    /** @param axis the channel axis (-1: the last) */
    public ChannelExtremes(int axis) {
        this.axis = axis;
    }

    public int axis() {
        return axis;
    }

    @Override
    public void observe(long[] dims, FloatBuffer values) {
        ChannelAxis c = ChannelAxis.of(dims, axis, "channel extremes");
        init(c.channels());
        int from = values.position();
        int to = values.limit();
        for (int i = from; i < to; i++) {
            int ch = (int) (((i - from) / c.inner()) % c.channels());
            float v = values.get(i);
            if (v < min[ch]) {
                min[ch] = v;
            }
            if (v > max[ch]) {
                max[ch] = v;
            }
        }
    }

    private void init(int channels) {
        if (min == null) {
            min = new float[channels];
            max = new float[channels];
            Arrays.fill(min, Float.POSITIVE_INFINITY);
            Arrays.fill(max, Float.NEGATIVE_INFINITY);
        }
        ChannelAxis.requireWidth(min.length, channels, "channel extremes");
    }

    @Override
    public void merge(ChannelExtremes other) {
        if (other.min == null) {
            return;
        }
        init(other.min.length);
        for (int c = 0; c < min.length; c++) {
            min[c] = Math.min(min[c], other.min[c]);
            max[c] = Math.max(max[c], other.max[c]);
        }
    }

    @Override
    public boolean sameRequestAs(Accumulator<?> other) {
        return other instanceof ChannelExtremes o && o.axis == axis;
    }

    @Override
    public ChannelExtremes emptyCopy() {
        return new ChannelExtremes(axis);
    }

    /** Smallest value per channel (a copy), or null when nothing was observed. */
    public float[] min() {
        return min == null ? null : min.clone();
    }

    /** Largest value per channel (a copy), or null when nothing was observed. */
    public float[] max() {
        return max == null ? null : max.clone();
    }

    /** max(|min|, |max|) per channel, or null when nothing was observed. */
    public float[] absMax() {
        if (min == null) {
            return null;
        }
        float[] a = new float[min.length];
        for (int c = 0; c < a.length; c++) {
            a[c] = Math.max(Math.abs(min[c]), Math.abs(max[c]));
        }
        return a;
    }
}
