package dev.bantam.runtime.metrics;

/**
 * A multinomial logistic-regression probe: trained on the reference model's embeddings of the training
 * split, then scored on each model's embeddings of the held-out split. A compressed model whose embeddings
 * still serve the reference's classifier scores close to the reference.
 */
public final class LinearProbe {

    private final double[][] w;
    private final double[] b;

    private LinearProbe(double[][] w, double[] b) {
        this.w = w;
        this.b = b;
    }

    /** Full-batch gradient descent with L2 regularization; deterministic. */
    public static LinearProbe train(float[][] x, int[] y, int classes, int epochs, double lr, double l2) {
        int d = x[0].length;
        double[][] w = new double[classes][d];
        double[] b = new double[classes];
        double[] p = new double[classes];
        for (int epoch = 0; epoch < epochs; epoch++) {
            double[][] gw = new double[classes][d];
            double[] gb = new double[classes];
            for (int i = 0; i < x.length; i++) {
                probabilities(w, b, x[i], p);
                for (int c = 0; c < classes; c++) {
                    double g = p[c] - (y[i] == c ? 1 : 0);
                    gb[c] += g;
                    for (int k = 0; k < d; k++) {
                        gw[c][k] += g * x[i][k];
                    }
                }
            }
            for (int c = 0; c < classes; c++) {
                b[c] -= lr * gb[c] / x.length;
                for (int k = 0; k < d; k++) {
                    w[c][k] -= lr * (gw[c][k] / x.length + l2 * w[c][k]);
                }
            }
        }
        return new LinearProbe(w, b);
    }

    private static void probabilities(double[][] w, double[] b, float[] x, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < w.length; c++) {
            double z = b[c];
            for (int k = 0; k < x.length; k++) {
                z += w[c][k] * x[k];
            }
            out[c] = z;
            max = Math.max(max, z);
        }
        double sum = 0;
        for (int c = 0; c < w.length; c++) {
            out[c] = Math.exp(out[c] - max);
            sum += out[c];
        }
        for (int c = 0; c < w.length; c++) {
            out[c] /= sum;
        }
    }

    public double accuracy(float[][] x, int[] y) {
        double[] p = new double[w.length];
        int right = 0;
        for (int i = 0; i < x.length; i++) {
            probabilities(w, b, x[i], p);
            int best = 0;
            for (int c = 1; c < p.length; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            right += best == y[i] ? 1 : 0;
        }
        return (double) right / x.length;
    }
}
