package dev.bantam.runtime.data;

/**
 * A separable 3-tap blur [a, 1 - 2a, a] along each of the last two axes of a float tensor (height and width of NCHW
 * images), edges clamped; a = 1/3 is a 3x3 box.
 */
final class Blur {

    private Blur() {
    }

    static float[] apply(float[] v, long[] dims, double a) {
        int h = (int) dims[dims.length - 2];
        int w = (int) dims[dims.length - 1];
        int planes = v.length / Math.max(1, h * w);
        double c = 1 - 2 * a;
        float[] out = new float[v.length];
        float[] rows = new float[h * w];
        for (int p = 0; p < planes; p++) {
            int base = p * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int at = base + y * w;
                    rows[y * w + x] = (float) (a * v[at + Math.max(x - 1, 0)] + c * v[at + x]
                            + a * v[at + Math.min(x + 1, w - 1)]);
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[base + y * w + x] = (float) (a * rows[Math.max(y - 1, 0) * w + x] + c * rows[y * w + x]
                            + a * rows[Math.min(y + 1, h - 1) * w + x]);
                }
            }
        }
        return out;
    }
}
