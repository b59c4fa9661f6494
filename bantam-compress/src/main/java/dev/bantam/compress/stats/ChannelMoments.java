package dev.bantam.compress.stats;

import java.nio.FloatBuffer;

/**
 * Per-channel first and second moments along an axis: counts, sums and sums of squares, from which the mean,
 * the mean square, the variance and the L2 norm of each channel follow (Wanda scores weights by the input
 * channel's norm; bias correction uses the mean). Each value and its square is exact in a double, and the
 * sums are {@link ExactSums}, so the moments merge exactly. Non-finite values are skipped and counted.
 */
public final class ChannelMoments implements Accumulator<ChannelMoments> {

    private final int axis;
    private long[] counts;
    private ExactSums sums;
    private ExactSums squares;
    private long nonFinite;

    /** @param axis the channel axis (-1: the last) */
    public ChannelMoments(int axis) {
        this.axis = axis;
    }

    public int axis() {
        return axis;
    }

    @Override
    public void observe(long[] dims, FloatBuffer values) {
        ChannelAxis c = ChannelAxis.of(dims, axis, "channel moments");
        init(c.channels());
        int from = values.position();
        int to = values.limit();
        for (int i = from; i < to; i++) {
            float v = values.get(i);
            if (!Float.isFinite(v)) {
                nonFinite++;
                continue;
            }
            int ch = (int) (((i - from) / c.inner()) % c.channels());
            counts[ch]++;
            sums.add(ch, v);
            squares.add(ch, (double) v * v);
        }
    }

    private void init(int channels) {
        if (counts == null) {
            counts = new long[channels];
            sums = new ExactSums(channels);
            squares = new ExactSums(channels);
        }
        ChannelAxis.requireWidth(counts.length, channels, "channel moments");
    }

    @Override
    public void merge(ChannelMoments other) {
        nonFinite += other.nonFinite;
        if (other.counts == null) {
            return;
        }
        init(other.counts.length);
        for (int c = 0; c < counts.length; c++) {
            counts[c] += other.counts[c];
        }
        sums.merge(other.sums);
        squares.merge(other.squares);
    }

    @Override
    public boolean sameRequestAs(Accumulator<?> other) {
        return other instanceof ChannelMoments o && o.axis == axis;
    }

    @Override
    public ChannelMoments emptyCopy() {
        return new ChannelMoments(axis);
    }

    /** Channels, or 0 when nothing was observed. */
    public int channels() {
        return counts == null ? 0 : counts.length;
    }

    public long count(int channel) {
        return counts[channel];
    }

    public long nonFiniteCount() {
        return nonFinite;
    }

    public double sum(int channel) {
        return sums.get(channel);
    }

    public double sumOfSquares(int channel) {
        return squares.get(channel);
    }

    /** Mean of each channel (0 for a channel that saw nothing). */
    public double[] mean() {
        double[] m = new double[channels()];
        for (int c = 0; c < m.length; c++) {
            m[c] = counts[c] == 0 ? 0 : sums.get(c) / counts[c];
        }
        return m;
    }

    /** Mean of the squares of each channel (the second moment about zero). */
    public double[] meanSquare() {
        double[] m = new double[channels()];
        for (int c = 0; c < m.length; c++) {
            m[c] = counts[c] == 0 ? 0 : squares.get(c) / counts[c];
        }
        return m;
    }

    /** Variance of each channel (population), never negative. */
    public double[] variance() {
        double[] mean = mean();
        double[] sq = meanSquare();
        double[] v = new double[mean.length];
        for (int c = 0; c < v.length; c++) {
            v[c] = Math.max(0, sq[c] - mean[c] * mean[c]);
        }
        return v;
    }

    /** L2 norm of each channel over everything observed: sqrt(sum of squares). */
    public double[] norm() {
        double[] n = new double[channels()];
        for (int c = 0; c < n.length; c++) {
            n[c] = Math.sqrt(squares.get(c));
        }
        return n;
    }

    /** Whether the two hold the same counts and sums, bit for bit. */
    public boolean sameAs(ChannelMoments other) {
        return java.util.Arrays.equals(counts, other.counts) && nonFinite == other.nonFinite
                && (counts == null || sums.sameAs(other.sums) && squares.sameAs(other.squares));
    }
}
