package dev.bantam.compress.stats;

/**
 * The channel axis of a statistic, resolved against one batch's shape: channel {@code c} of flat index
 * {@code i} is {@code (i / inner) % channels}. Negative axes count from the end (-1: the last axis).
 */
record ChannelAxis(int channels, long inner, long outer) {

    static ChannelAxis of(long[] dims, int axis, String what) {
        int a = axis < 0 ? dims.length + axis : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException(what + ": axis " + axis + " is outside a value of rank " + dims.length);
        }
        long inner = 1;
        for (int i = a + 1; i < dims.length; i++) {
            inner *= dims[i];
        }
        long outer = 1;
        for (int i = 0; i < a; i++) {
            outer *= dims[i];
        }
        if (dims[a] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + ": " + dims[a] + " channels are too many");
        }
        return new ChannelAxis((int) dims[a], inner, outer);
    }

    static void requireWidth(int expected, int actual, String what) {
        if (expected != actual) {
            throw new IllegalArgumentException(what + ": the channel axis changed from " + expected + " to " + actual
                    + " between batches");
        }
    }
}
