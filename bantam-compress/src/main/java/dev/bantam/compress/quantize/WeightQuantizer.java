package dev.bantam.compress.quantize;

/**
 * Symmetric int8 quantization of a float matrix [rows, cols], one scale per column or one for the whole
 * matrix: {@code q = clamp(round(w / s))} with the MSE-optimal clipped scale ({@link #bestScale}).
 */
final class WeightQuantizer {

    /** Quantized values (row-major like the input) and their scales (one, or one per column). */
    record Result(byte[] values, float[] scales) {
    }

    private WeightQuantizer() {
    }

    static Result symmetricInt8(float[] w, int rows, int cols, boolean perColumn, boolean reduceRange) {
        int qmax = reduceRange ? 63 : 127;
        float[] scales = new float[perColumn ? cols : 1];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int s = perColumn ? c : 0;
                scales[s] = Math.max(scales[s], Math.abs(w[r * cols + c]));
            }
        }
        for (int i = 0; i < scales.length; i++) {
            scales[i] = scales[i] == 0 ? 1f : bestScale(w, rows, cols, perColumn ? i : -1, scales[i], qmax);
        }
        byte[] q = new byte[w.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float s = scales[perColumn ? c : 0];
                q[r * cols + c] = (byte) Math.max(-qmax, Math.min(qmax, Math.round(w[r * cols + c] / s)));
            }
        }
        return new Result(q, scales);
    }

    /**
     * The scale that minimizes the squared rounding-plus-clipping error of one column (or, with column -1, the
     * whole matrix), searched over clipping the range at 100%, 99%, ... 80% of the largest magnitude: heavy
     * tails cost less when a few outliers clip and everything else rounds finer.
     */
    static float bestScale(float[] w, int rows, int cols, int column, float maxAbs, int qmax) {
        float best = maxAbs / qmax;
        double bestError = Double.POSITIVE_INFINITY;
        for (int step = 0; step <= 20; step++) {
            float s = maxAbs * (1 - step * 0.01f) / qmax;
            double err = 0;
            for (int r = 0; r < rows; r++) {
                int from = column < 0 ? r * cols : r * cols + column;
                int to = column < 0 ? from + cols : from + 1;
                for (int i = from; i < to; i++) {
                    float q = Math.max(-qmax, Math.min(qmax, Math.round(w[i] / s)));
                    double e = w[i] - q * s;
                    err += e * e;
                }
            }
            if (err < bestError) {
                bestError = err;
                best = s;
            }
        }
        return best;
    }
}
