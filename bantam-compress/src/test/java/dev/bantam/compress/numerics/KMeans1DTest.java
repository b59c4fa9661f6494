package dev.bantam.compress.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sorted k-means against plain Lloyd's iterations, and its answers on data with known clusters. */
class KMeans1DTest {

    /** Plain Lloyd's algorithm on the unsorted values from the same start: nearest centroid, ties upward. */
    static double[] naive(float[] v, double[] start, int iterations) {
        double[] c = start.clone();
        for (int it = 0; it < iterations; it++) {
            double[] sum = new double[c.length];
            int[] n = new int[c.length];
            for (float x : v) {
                int best = 0;
                for (int j = 1; j < c.length; j++) {
                    if (Math.abs(x - c[j]) <= Math.abs(x - c[best])) {
                        best = j;
                    }
                }
                sum[best] += x;
                n[best]++;
            }
            double[] next = new double[c.length];
            for (int j = 0; j < c.length; j++) {
                next[j] = n[j] == 0 ? c[j] : sum[j] / n[j];
            }
            if (Arrays.equals(next, c)) {
                break;
            }
            c = next;
        }
        return c;
    }

    static float[] gaussian(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * 0.05);
        }
        return v;
    }

    @Test
    void matchesPlainLloydFromTheSameStart() {
        float[] v = gaussian(5000, 1);
        for (int k : new int[] {2, 16, 64}) {
            KMeans1D.Result fast = KMeans1D.fit(v, k, KMeans1D.Init.DENSITY, 0, 300);
            KMeans1D.Result start = KMeans1D.fit(v, k, KMeans1D.Init.DENSITY, 0, 0);
            double[] ref = naive(v, start.centroids(), 300);
            assertEquals(ref.length, fast.centroids().length);
            for (int j = 0; j < ref.length; j++) {
                assertEquals(ref[j], fast.centroids()[j], 1e-9, "k=" + k + " centroid " + j);
            }
            double sse = 0;
            for (int i = 0; i < v.length; i++) {
                double d = v[i] - fast.centroids()[fast.assignment()[i]];
                sse += d * d;
            }
            assertEquals(sse, fast.sse(), 1e-9 * Math.max(sse, 1e-12));
            for (int i = 0; i < v.length; i++) {
                int a = fast.assignment()[i];
                for (int j = 0; j < fast.centroids().length; j++) {
                    assertTrue(Math.abs(v[i] - fast.centroids()[a]) <= Math.abs(v[i] - fast.centroids()[j]) + 1e-12,
                            "every value is at its nearest centroid");
                }
            }
        }
    }

    @Test
    void findsSeparatedClustersWithEveryStart() {
        Random r = new Random(2);
        float[] v = new float[3000];
        double[] centres = {-1, 0.2, 3};
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (centres[i % 3] + r.nextGaussian() * 0.01);
        }
        for (KMeans1D.Init init : KMeans1D.Init.values()) {
            KMeans1D.Result res = KMeans1D.fit(v, 3, init, 7, 300);
            assertArrayEquals(centres, res.centroids(), 0.01, init.toString());
        }
    }

    @Test
    void fewerDistinctValuesThanClustersAreKeptExactly() {
        float[] v = {0.5f, -0.25f, 0.5f, 0f, -0.25f};
        KMeans1D.Result r = KMeans1D.fit(v, 16, KMeans1D.Init.KMEANS_PLUS_PLUS, 1, 100);
        assertArrayEquals(new double[] {-0.25, 0, 0.5}, r.centroids());
        assertEquals(0, r.sse());
    }

    @Test
    void deterministicAndBetterThanEvenSpacing() {
        float[] v = gaussian(20_000, 3);
        KMeans1D.Result a = KMeans1D.fit(v, 16, KMeans1D.Init.KMEANS_PLUS_PLUS, 42, 300);
        KMeans1D.Result b = KMeans1D.fit(v, 16, KMeans1D.Init.KMEANS_PLUS_PLUS, 42, 300);
        assertArrayEquals(a.centroids(), b.centroids());
        assertArrayEquals(a.assignment(), b.assignment());
        KMeans1D.Result linearStart = KMeans1D.fit(v, 16, KMeans1D.Init.LINEAR, 0, 0);
        assertTrue(a.sse() < linearStart.sse(), "k-means beats 16 evenly spaced levels on a Gaussian");
    }
}
