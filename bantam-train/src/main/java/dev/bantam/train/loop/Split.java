package dev.bantam.train.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training and validation items, and each epoch's order. The validation items are the last fraction of the
 * data. Training reads the data in windows of consecutive items (one read per window, so memory is bounded by
 * the window). An epoch visits the windows in file order from a seeded starting window, wrapping around (so a
 * source that reads sequentially, like a compressed file, re-opens at most twice an epoch instead of skipping to
 * every window), and each window's items in a seeded order.
 */
record Split(int trainItems, int validationItems, int window) {

    /** A window of the data: its first item and its items' offsets in visiting order. */
    record Window(int start, int[] order) {
    }

    static Split of(int size, double validationFraction, int batchSize) {
        int val = (int) Math.round(size * validationFraction);
        int window = batchSize * Math.max(1, 4096 / batchSize);
        return new Split(size - val, val, window);
    }

    /** This epoch's windows and orders (depends only on the seed and the epoch). */
    List<Window> epoch(long seed, int epoch) {
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + epoch);
        int count = (trainItems + window - 1) / window;
        int first = rng.nextInt(count);
        List<Window> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            int w = (first + k) % count;
            int start = w * window;
            int n = Math.min(window, trainItems - start);
            out.add(new Window(start, permutation(n, rng)));
        }
        return out;
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
