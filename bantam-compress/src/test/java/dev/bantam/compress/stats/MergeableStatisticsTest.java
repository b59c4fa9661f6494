package dev.bantam.compress.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Statistics computed on parts of the data, in other batch sizes and orders, merge into exactly the one-pass
 * result: histograms bin for bin, extremes, moments and Gram matrices to the last bit.
 */
class MergeableStatisticsTest {

    private static final int ITEMS = 40;
    private static final long[] ITEM = {5, 24}; // one item: 5 positions (tokens) of 24 channels

    /** Items with channels of very different scales, a few large values, and values near zero. */
    private static float[][] items(long seed) {
        Random r = new Random(seed);
        float[][] out = new float[ITEMS][(int) (ITEM[0] * ITEM[1])];
        for (float[] item : out) {
            for (int i = 0; i < item.length; i++) {
                int c = i % (int) ITEM[1];
                double scale = c == 3 ? 300 : c == 7 ? 1e-4 : 1 + c;
                item[i] = (float) (r.nextGaussian() * scale + (c == 5 ? 2 : 0));
            }
        }
        return out;
    }

    private static ActivationStatistics request() {
        return new ActivationStatistics().withHistogram("x").withChannelExtremes("x", -1).withChannelMoments("x", -1)
                .withGram("x", -1);
    }

    /** Feeds items {@code order} to {@code s} in batches of {@code batch}. */
    private static void feed(ActivationStatistics s, float[][] items, List<Integer> order, int batch) {
        for (int start = 0; start < order.size(); start += batch) {
            int n = Math.min(batch, order.size() - start);
            float[] flat = new float[n * items[0].length];
            for (int i = 0; i < n; i++) {
                System.arraycopy(items[order.get(start + i)], 0, flat, i * items[0].length, items[0].length);
            }
            s.observe("x", new long[] {n, ITEM[0], ITEM[1]}, FloatBuffer.wrap(flat));
            s.addItems(n);
        }
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> l = new ArrayList<>();
        for (int i = from; i < to; i++) {
            l.add(i);
        }
        return l;
    }

    private static void assertSame(ActivationStatistics a, ActivationStatistics b) {
        Histogram ha = a.histogram("x");
        Histogram hb = b.histogram("x");
        assertEquals(ha.range(), hb.range());
        assertEquals(ha.count(), hb.count());
        assertEquals(ha.min(), hb.min());
        assertEquals(ha.max(), hb.max());
        for (int i = 0; i < Histogram.BINS; i++) {
            assertEquals(ha.countAt(i), hb.countAt(i), "bin " + i);
        }
        assertArrayEquals(a.channelExtremes("x").min(), b.channelExtremes("x").min());
        assertArrayEquals(a.channelExtremes("x").max(), b.channelExtremes("x").max());
        assertTrue(a.channelMoments("x").sameAs(b.channelMoments("x")), "moments bit for bit");
        assertTrue(a.gram("x").sameAs(b.gram("x")), "Gram matrix bit for bit");
        assertArrayEquals(a.gram("x").matrix(), b.gram("x").matrix());
        assertArrayEquals(a.channelMoments("x").mean(), b.channelMoments("x").mean());
        assertEquals(a.items(), b.items());
    }

    @Test
    void twoHalvesMergedEqualOnePass() {
        float[][] data = items(1);
        ActivationStatistics one = request();
        feed(one, data, range(0, ITEMS), 7);
        ActivationStatistics first = request();
        feed(first, data, range(0, 17), 5);
        ActivationStatistics second = first.emptyCopy();
        feed(second, data, range(17, ITEMS), 4);
        first.merge(second);
        assertSame(one, first);
    }

    @Test
    void anySplitAnyOrderAnyBatchSizeGivesTheSameStatistics() {
        float[][] data = items(2);
        ActivationStatistics one = request();
        feed(one, data, range(0, ITEMS), ITEMS);
        List<Integer> shuffled = range(0, ITEMS);
        Collections.shuffle(shuffled, new Random(9));
        ActivationStatistics[] parts = {request(), request(), request()};
        feed(parts[0], data, shuffled.subList(0, 3), 1);
        feed(parts[1], data, shuffled.subList(3, 30), 8);
        feed(parts[2], data, shuffled.subList(30, ITEMS), 3);
        parts[2].merge(parts[0]);
        parts[2].merge(parts[1]);
        assertSame(one, parts[2]);
    }

    @Test
    void mergingMismatchedStatisticsIsRefused() {
        ActivationStatistics a = request();
        ActivationStatistics b = new ActivationStatistics().withHistogram("y");
        assertThrows(IllegalArgumentException.class, () -> a.merge(b));
        GramMatrix g = new GramMatrix(-1);
        g.observe(new long[] {1, 2, 3}, FloatBuffer.wrap(new float[6]));
        GramMatrix h = new GramMatrix(-1);
        h.observe(new long[] {1, 2, 4}, FloatBuffer.wrap(new float[8]));
        assertThrows(IllegalArgumentException.class, () -> g.merge(h));
        assertThrows(IllegalArgumentException.class, () -> new GramMatrix(0).observe(new long[] {2, 3},
                FloatBuffer.wrap(new float[6])));
    }

    @Test
    void momentsMatchTheirDefinition() {
        float[][] data = items(3);
        ActivationStatistics s = request();
        feed(s, data, range(0, ITEMS), 6);
        ChannelMoments m = s.channelMoments("x");
        int k = (int) ITEM[1];
        double[] sum = new double[k];
        double[] sq = new double[k];
        long n = 0;
        for (float[] item : data) {
            for (int i = 0; i < item.length; i++) {
                sum[i % k] += item[i];
                sq[i % k] += (double) item[i] * item[i];
            }
            n += ITEM[0];
        }
        for (int c = 0; c < k; c++) {
            assertEquals(n, m.count(c));
            assertEquals(sum[c] / n, m.mean()[c], 1e-9 * (1 + Math.abs(sum[c] / n)), "mean " + c);
            assertEquals(Math.sqrt(sq[c]), m.norm()[c], 1e-9 * Math.sqrt(sq[c]), "norm " + c);
            assertTrue(m.variance()[c] >= 0);
        }
    }

    @Test
    void channelStatisticsAlongAMiddleAxis() {
        // [N, C, H, W] with the channel on axis 1, as convolution activations are laid out
        Random r = new Random(4);
        float[] v = new float[2 * 3 * 4 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        ChannelExtremes e = new ChannelExtremes(1);
        e.observe(new long[] {2, 3, 4, 5}, FloatBuffer.wrap(v));
        GramMatrix g = new GramMatrix(1);
        g.observe(new long[] {2, 3, 4, 5}, FloatBuffer.wrap(v));
        double[] ref = new double[9];
        float[] max = new float[3];
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (int n = 0; n < 2; n++) {
            for (int p = 0; p < 20; p++) {
                for (int a = 0; a < 3; a++) {
                    float xa = v[(n * 3 + a) * 20 + p];
                    max[a] = Math.max(max[a], xa);
                    for (int b = 0; b < 3; b++) {
                        ref[a * 3 + b] += (double) xa * v[(n * 3 + b) * 20 + p];
                    }
                }
            }
        }
        assertArrayEquals(max, e.max());
        assertEquals(40, g.rows());
        double[] m = g.matrix();
        for (int i = 0; i < 9; i++) {
            assertEquals(ref[i], m[i], 1e-12 * (1 + Math.abs(ref[i])));
        }
    }
}
