package dev.bantam.compress.prune;

import java.util.Arrays;

/**
 * Data-free and Wanda masks on a [K][N] weight (K inputs, N outputs): the weights with the lowest scores are set to
 * zero, per layer, per output (Wanda's comparison group), or per group of M consecutive inputs of one output (N:M).
 */
final class SparseMasks {

    private SparseMasks() {
    }

    /** |w| scores. */
    static double[] magnitude(double[] w) {
        double[] s = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            s[i] = Math.abs(w[i]);
        }
        return s;
    }

    /** Wanda's |w_kn| · ‖x_k‖ scores, ‖x_k‖² the diagonal of the input Gram matrix. */
    static double[] wanda(double[] w, int k, int n, double[] gram) {
        double[] s = new double[w.length];
        for (int i = 0; i < k; i++) {
            double norm = Math.sqrt(Math.max(0, gram[i * k + i]));
            for (int j = 0; j < n; j++) {
                s[i * n + j] = Math.abs(w[i * n + j]) * norm;
            }
        }
        return s;
    }

    /** Zeroes the {@code floor(sparsity · K·N)} lowest-scored weights of the whole layer; returns how many. */
    static long perLayer(double[] w, double[] score, double sparsity) {
        int drop = (int) Math.floor(sparsity * w.length + 1e-9);
        int[] order = lowestFirst(score, 0, 1, w.length);
        for (int i = 0; i < drop; i++) {
            w[order[i]] = 0;
        }
        return drop;
    }

    /** Zeroes, for every output, the {@code floor(sparsity · K)} lowest-scored of its K weights. */
    static long perOutput(double[] w, double[] score, int k, int n, double sparsity) {
        int drop = (int) Math.floor(sparsity * k + 1e-9);
        for (int j = 0; j < n; j++) {
            int[] order = lowestFirst(score, j, n, k);
            for (int i = 0; i < drop; i++) {
                w[order[i] * n + j] = 0;
            }
        }
        return (long) drop * n;
    }

    /** N:M: in every group of m consecutive inputs of every output, all but the n highest-scored set to zero. */
    static long nOfM(double[] w, double[] score, int k, int n, int keep, int m) {
        long dropped = 0;
        for (int j = 0; j < n; j++) {
            for (int g = 0; g < k; g += m) {
                int size = Math.min(m, k - g);
                int[] order = lowestFirst(score, g * n + j, n, size);
                for (int i = 0; i < size - Math.min(keep, size); i++) {
                    w[(g + order[i]) * n + j] = 0;
                    dropped++;
                }
            }
        }
        return dropped;
    }

    /**
     * LAMP scores (Lee et al., 2021): each weight's square over the sum of the squares of the weights of its layer at
     * least as large, so that one threshold across layers keeps each layer's largest weights in proportion.
     */
    static double[] lamp(double[] w) {
        int[] order = lowestFirst(magnitude(w), 0, 1, w.length);
        double[] s = new double[w.length];
        double tail = 0;
        for (int r = order.length - 1; r >= 0; r--) {
            double sq = w[order[r]] * w[order[r]];
            tail += sq;
            s[order[r]] = tail == 0 ? 0 : sq / tail;
        }
        return s;
    }

    /**
     * Positions {@code 0..count-1} (element i at {@code score[start + i·stride]}) ordered by score, lowest first, ties by
     * position.
     */
    static int[] lowestFirst(double[] score, int start, int stride, int count) {
        Integer[] idx = new Integer[count];
        for (int i = 0; i < count; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> {
            int c = Double.compare(score[start + a * stride], score[start + b * stride]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = idx[i];
        }
        return out;
    }
}
