package dev.bantam.compress.share;

/**
 * The elements of a tensor channel by channel along an axis (or all of it as one slice when the axis is -1):
 * element i belongs to channel (i / inner) % channels. Splitting and joining each take one pass.
 */
final class ChannelSlices {

    private final int channels;
    private final long inner;
    private final int size;
    private final int length;

    ChannelSlices(long[] dims, int axis) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        this.length = Math.toIntExact(n);
        this.channels = axis < 0 ? 1 : (int) dims[axis];
        long in = 1;
        for (int a = axis + 1; axis >= 0 && a < dims.length; a++) {
            in *= dims[a];
        }
        this.inner = in;
        this.size = length / channels;
    }

    int count() {
        return channels;
    }

    private int channelOf(int i) {
        return channels == 1 ? 0 : (int) ((i / inner) % channels);
    }

    /** The values of each channel, in element order. */
    float[][] split(float[] all) {
        float[][] out = new float[channels][size];
        int[] fill = new int[channels];
        for (int i = 0; i < length; i++) {
            int c = channelOf(i);
            out[c][fill[c]++] = all[i];
        }
        return out;
    }

    /** The values of each channel, in element order. */
    double[][] split(double[] all) {
        double[][] out = new double[channels][size];
        int[] fill = new int[channels];
        for (int i = 0; i < length; i++) {
            int c = channelOf(i);
            out[c][fill[c]++] = all[i];
        }
        return out;
    }

    /** The inverse of {@link #split} for per-element integers. */
    int[] join(int[][] parts) {
        int[] all = new int[length];
        int[] fill = new int[channels];
        for (int i = 0; i < length; i++) {
            int c = channelOf(i);
            all[i] = parts[c][fill[c]++];
        }
        return all;
    }
}
