package dev.bantam.runtime.metrics;

/** Numerically stable softmax arithmetic on logit rows. */
final class Softmax {

    private Softmax() {
    }

    /** KL(softmax(p) || softmax(q)) for the row of {@code n} logits at {@code off}. */
    static double kl(float[] p, float[] q, int off, int n) {
        double[] lp = logSoftmax(p, off, n);
        double[] lq = logSoftmax(q, off, n);
        double kl = 0;
        for (int j = 0; j < n; j++) {
            kl += Math.exp(lp[j]) * (lp[j] - lq[j]);
        }
        return Math.max(0, kl);
    }

    static double[] logSoftmax(float[] v, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, v[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += Math.exp(v[off + j] - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            out[j] = v[off + j] - log;
        }
        return out;
    }
}
