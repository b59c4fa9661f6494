package dev.bantam.compress.weightonly;

/**
 * The data-free algorithms, block by block: RTN (min-max rounding to nearest) and HQQ (half-quadratic
 * optimisation of the zero point, Badri and Shaji, 2023).
 *
 * <p>HQQ as published keeps float zero points; ONNX Runtime's fast 4-bit kernels need integer ones (float zero
 * points take a path ~100x slower). So here the zero point found by HQQ's proximal iterations is rounded, the
 * scale is refitted by least squares for the codes it gives, and the block keeps whichever of RTN and HQQ
 * has the lower squared error: HQQ is never worse than RTN on a block. HQQ starts from the best of a few
 * min-max ranges shrunk towards zero (the range search of ONNX Runtime's and llama.cpp's quantizers).
 */
public final class DataFree {

    /** HQQ's published defaults: l_p norm, initial β, its growth per iteration, iterations. */
    private static final double P = 0.7;
    private static final double BETA = 10;
    private static final double KAPPA = 1.01;
    private static final int ITERATIONS = 20;

    private DataFree() {
    }

    /** Quantizes {@code columns} ([n][k], each column's weights contiguous) block by block. */
    public static BlockQuantized quantize(float[] columns, int k, int n, BlockFormat f, boolean hqq) {
        BlockQuantized q = BlockQuantized.allocate(f, k, n);
        quantizeInto(q, columns, 0, n, hqq, null);
        return q;
    }

    /**
     * Quantizes a slab of {@code count} columns ([count][k]) into columns {@code c0…} of {@code q}, adding each
     * weight and its stored value to {@code sqnr} when given.
     */
    static void quantizeInto(BlockQuantized q, float[] slab, int c0, int count, boolean hqq, dev.bantam.compress.Sqnr sqnr) {
        BlockFormat f = q.format();
        int k = q.k();
        int bs = f.blockSize();
        for (int c = 0; c < count; c++) {
            for (int b = 0; b < q.blocks(); b++) {
                int from = c * k + b * bs;
                int to = c * k + Math.min(k, (b + 1) * bs);
                round(q, c0 + c, b, slab, from, to, hqq, sqnr);
            }
        }
    }

    /** Rounds block {@code b} of column {@code c}, whose {@code len} weights are {@code w[0, len)}. */
    static void quantizeBlock(BlockQuantized q, int c, int b, float[] w, int len, boolean hqq,
                              dev.bantam.compress.Sqnr sqnr) {
        round(q, c, b, w, 0, len, hqq, sqnr);
    }

    private static void round(BlockQuantized q, int c, int b, float[] w, int from, int to, boolean hqq,
                              dev.bantam.compress.Sqnr sqnr) {
        BlockFormat f = q.format();
        BlockParams p = BlockParams.minMax(w, from, to, f);
        if (hqq && !f.symmetric()) {
            p = hqq(w, from, to, f, clipped(w, from, to, f, p));
        }
        q.setParams(c, b, p);
        // p.code and p.value inlined, the row offset hoisted: this loop is the time of a data-free pass
        float scale = p.scale();
        int zero = p.zero();
        int max = f.maxCode();
        byte[] codes = q.codes();
        int at = c * q.paddedK() + b * f.blockSize() - from;
        double inverse = 1.0 / scale;
        for (int i = from; i < to; i++) { // round half up, as Math.round; clamped to the codes
            double r = Math.floor(w[i] * inverse + 0.5) + zero;
            codes[at + i] = (byte) (int) Math.max(0, Math.min(max, r));
        }
        if (sqnr != null) {
            double signal = 0;
            double noise = 0;
            for (int i = from; i < to; i++) {
                double e = (double) w[i] - ((codes[at + i] & 0xff) - zero) * scale;
                signal += (double) w[i] * w[i];
                noise += e * e;
            }
            sqnr.addSums(signal, noise);
        }
    }

    /** HQQ's zero-point iterations from {@code init}, then an integer zero point and a refitted scale. */
    static BlockParams hqq(float[] w, int from, int to, BlockFormat f, BlockParams init) {
        int len = to - from;
        double s = init.scale();
        double z = init.zero();
        double beta = BETA;
        double bestError = Double.MAX_VALUE;
        double bestZ = z;
        int[] q = new int[len];
        for (int it = 0; it < ITERATIONS; it++) {
            double error = 0;
            double sum = 0;
            for (int i = 0; i < len; i++) {
                double wi = w[from + i];
                q[i] = (int) Math.max(0, Math.min(f.maxCode(), Math.round(wi / s + z)));
                double r = (q[i] - z) * s;
                double e = shrink(wi - r, beta);
                sum += q[i] - (wi - e) / s;
                error += Math.abs(wi - r);
            }
            if (error >= bestError) {
                break;
            }
            bestError = error;
            bestZ = z;
            z = sum / len;
            beta *= KAPPA;
        }
        BlockParams p = refit(w, from, to, f, (int) Math.max(0, Math.min(f.maxCode(), Math.round(bestZ))), s);
        double e0 = init.squaredError(w, from, to, f.maxCode());
        return p.squaredError(w, from, to, f.maxCode()) < e0 ? p : init;
    }

    /** Of min-max ranges shrunk by 0 to 25% towards zero, the one with the lowest squared error. */
    static BlockParams clipped(float[] w, int from, int to, BlockFormat f, BlockParams minMax) {
        float lo = 0;
        float hi = 0;
        for (int i = from; i < to; i++) {
            lo = Math.min(lo, w[i]);
            hi = Math.max(hi, w[i]);
        }
        BlockParams best = minMax;
        double bestError = minMax.squaredError(w, from, to, f.maxCode());
        for (int step = 1; step <= 10; step++) {
            double r = 1 - 0.025 * step;
            float scale = (float) ((hi - lo) * r / f.maxCode());
            if (!(scale > 0)) {
                break;
            }
            int zero = (int) Math.max(0, Math.min(f.maxCode(), Math.round(-lo * r / scale)));
            BlockParams p = new BlockParams(scale, zero);
            double e = p.squaredError(w, from, to, f.maxCode());
            if (e < bestError) {
                best = p;
                bestError = e;
            }
        }
        return best;
    }

    /** The least-squares scale for the codes of (zero, scale), twice. */
    private static BlockParams refit(float[] w, int from, int to, BlockFormat f, int zero, double scale) {
        BlockParams p = new BlockParams((float) scale, zero);
        for (int round = 0; round < 2; round++) {
            double num = 0;
            double den = 0;
            for (int i = from; i < to; i++) {
                int d = p.code(w[i], f.maxCode()) - zero;
                num += w[i] * d;
                den += (double) d * d;
            }
            if (den == 0 || num == 0) {
                return p;
            }
            p = new BlockParams((float) (num / den), zero);
        }
        return p;
    }

    /** HQQ's generalized soft-thresholding for the l_p norm. */
    private static double shrink(double x, double beta) {
        double a = Math.abs(x);
        return Math.signum(x) * Math.max(0, a - Math.pow(a + 1e-8, P - 1) / beta);
    }
}
