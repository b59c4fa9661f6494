package dev.bantam.runtime.metrics;

import java.util.Arrays;

/**
 * How well a model keeps the reference's geometry: for each item, the overlap of its k nearest neighbours
 * (by cosine, itself excluded) under the reference embedding and under the candidate's, averaged.
 */
public final class NeighbourAgreement {

    private NeighbourAgreement() {
    }

    public static double of(float[][] reference, float[][] candidate, int k) {
        int n = reference.length;
        if (n <= k) {
            throw new IllegalArgumentException("neighbour agreement@" + k + " needs more than " + k + " items, got " + n);
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            int[] a = nearest(reference, i, k);
            int[] b = nearest(candidate, i, k);
            Arrays.sort(a);
            int common = 0;
            for (int x : b) {
                if (Arrays.binarySearch(a, x) >= 0) {
                    common++;
                }
            }
            total += (double) common / k;
        }
        return total / n;
    }

    /** Indices of the k items most similar to item i (ties broken by lower index). */
    static int[] nearest(float[][] e, int i, int k) {
        int[] best = new int[k];
        double[] sim = new double[k];
        Arrays.fill(sim, Double.NEGATIVE_INFINITY);
        for (int j = 0; j < e.length; j++) {
            if (j == i) {
                continue;
            }
            double s = Embeddings.dot(e[i], e[j]);
            if (s > sim[k - 1]) {
                int p = k - 1;
                while (p > 0 && sim[p - 1] < s) {
                    sim[p] = sim[p - 1];
                    best[p] = best[p - 1];
                    p--;
                }
                sim[p] = s;
                best[p] = j;
            }
        }
        return best;
    }
}
