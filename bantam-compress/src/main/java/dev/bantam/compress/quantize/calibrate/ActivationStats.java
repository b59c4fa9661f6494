package dev.bantam.compress.quantize.calibrate;

import java.nio.FloatBuffer;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Streamed statistics of the activations a quantizer asked for: a {@link Histogram} per activation, and for
 * some (the inputs SmoothQuant balances) the smallest and largest value per channel of the last axis. Memory is fixed
 * by the number of activations, not by the number of samples.
 */
public final class ActivationStats implements ActivationObserver {

    private final Map<String, Histogram> histograms = new LinkedHashMap<>();
    private final Map<String, float[]> channelMin = new LinkedHashMap<>();
    private final Map<String, float[]> channelMax = new LinkedHashMap<>();
    private final Set<String> perChannel;

    public ActivationStats(Collection<String> names, Set<String> perChannelNames) {
        for (String n : names) {
            histograms.put(n, new Histogram());
        }
        this.perChannel = Set.copyOf(perChannelNames);
    }

    /** The activations to observe. */
    public Set<String> names() {
        return histograms.keySet();
    }

    @Override
    public void observe(String name, long[] dims, FloatBuffer values) {
        Histogram h = histograms.get(name);
        if (h == null) {
            return;
        }
        h.observe(values);
        if (perChannel.contains(name) && dims.length > 0) {
            int channels = (int) dims[dims.length - 1];
            float[] lo = channelMin.computeIfAbsent(name, k -> filled(channels, Float.POSITIVE_INFINITY));
            float[] hi = channelMax.computeIfAbsent(name, k -> filled(channels, Float.NEGATIVE_INFINITY));
            if (hi.length != channels) {
                throw new IllegalArgumentException(name + " changed its last dimension from " + hi.length + " to " + channels);
            }
            int from = values.position();
            int to = values.limit();
            for (int i = from; i < to; i++) {
                int c = (i - from) % channels;
                float v = values.get(i);
                lo[c] = Math.min(lo[c], v);
                hi[c] = Math.max(hi[c], v);
            }
        }
    }

    public Histogram histogram(String name) {
        Histogram h = histograms.get(name);
        if (h == null) {
            throw new IllegalArgumentException("no statistics were collected for " + name);
        }
        return h;
    }

    /** Smallest value per channel of the last axis, or null when it was not collected. */
    public float[] channelMin(String name) {
        return channelMin.get(name);
    }

    /** Largest value per channel of the last axis, or null when it was not collected. */
    public float[] channelMax(String name) {
        return channelMax.get(name);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
