package dev.bantam.compress.quantize;

import dev.bantam.compress.Sqnr;

/**
 * Symmetric quantization of a weight tensor, one scale per slice along an axis (or one for the whole
 * tensor), each scale chosen by {@link #bestScale}: the clipping of the largest
 * magnitude (100% down to 80%) with the least squared error.
 */
final class ChannelQuantizer {

    /** Quantized values (stored as the type's bytes), the scales, and the SQNR of the result in dB. */
    record Result(byte[] values, float[] scales, int zeroPoint, double sqnrDb) {
    }

    private ChannelQuantizer() {
    }

    /**
     * @param dims  the weight's shape
     * @param axis  the channel axis, or -1 for one scale
     * @param qmax  the largest magnitude (127, or 63 with reduced range)
     */
    static Result quantize(float[] w, long[] dims, int axis, int qmax, QuantType type) {
        int channels = axis < 0 ? 1 : (int) dims[axis];
        long inner = 1;
        for (int i = axis + 1; i < dims.length && axis >= 0; i++) {
            inner *= dims[i];
        }
        float[] scales = new float[channels];
        int len = w.length / channels;
        if (channels == 1 || inner == len) { // each channel one contiguous run: no copy (an embedding table's rows)
            for (int c = 0; c < channels; c++) {
                scales[c] = bestScale(w, c * len, (c + 1) * len, qmax);
            }
        } else {
            float[][] slices = new float[channels][len];
            int[] fill = new int[channels];
            for (int i = 0; i < w.length; i++) {
                int c = channel(i, inner, channels);
                slices[c][fill[c]++] = w[i];
            }
            for (int c = 0; c < channels; c++) {
                scales[c] = bestScale(slices[c], 0, len, qmax);
            }
        }
        int zp = type.symmetricZeroPoint();
        byte[] q = new byte[w.length];
        Sqnr sqnr = new Sqnr();
        for (int i = 0; i < w.length; i++) {
            float s = scales[channel(i, inner, channels)];
            int v = Math.max(-qmax, Math.min(qmax, Math.round(w[i] / s)));
            q[i] = (byte) (v + zp);
            sqnr.add(w[i], v * (double) s);
        }
        return new Result(q, scales, zp, sqnr.db());
    }

    private static int channel(int i, long inner, int channels) {
        return channels == 1 ? 0 : (int) ((i / inner) % channels);
    }

    /** The scale with the least squared error among clippings of the largest magnitude at 100%, 99%, ... 80%. */
    static float bestScale(float[] v, int qmax) {
        return bestScale(v, 0, v.length, qmax);
    }

    /** {@link #bestScale(float[], int)} of {@code v[from, to)}. */
    static float bestScale(float[] v, int from, int to, int qmax) {
        float maxAbs = 0;
        for (int i = from; i < to; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(v[i]));
        }
        if (maxAbs == 0) {
            return 1f;
        }
        float best = maxAbs / qmax;
        double bestError = Double.POSITIVE_INFINITY;
        for (int step = 0; step <= 20; step++) {
            float s = maxAbs * (1 - step * 0.01f) / qmax;
            double err = 0;
            for (int i = from; i < to; i++) {
                float x = v[i];
                float q = Math.max(-qmax, Math.min(qmax, Math.round(x / s)));
                double e = x - q * s;
                err += e * e;
            }
            if (err < bestError) {
                bestError = err;
                best = s;
            }
        }
        return best;
    }
}
