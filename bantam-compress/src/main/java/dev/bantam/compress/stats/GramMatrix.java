package dev.bantam.compress.stats;

import java.nio.FloatBuffer;

/**
 * {@code XᵀX} over the vectors along a channel axis: every position of an activation (a token, a pixel) is a
 * row x of width K, and the K×K matrix sums {@code x xᵀ} over all rows seen. GPTQ and SparseGPT take it as
 * the layer's Hessian, data-aware SVD as the input covariance.
 *
 * <p>Each item (a slice along axis 0) is summed on its own in double, rows in their order, and the item's
 * partial matrix is added into {@link ExactSums}; the result is therefore the same to the last bit whatever
 * the batch size, the order of the items, or how they were split between accumulators later merged. Rows with
 * a non-finite value are skipped and counted. Memory: 16 bytes per entry of the upper triangle.
 */
public final class GramMatrix implements Accumulator<GramMatrix> {

    private final int axis;
    private int width = -1;
    private ExactSums upper;
    private long rows;
    private long skippedRows;

    /** @param axis the channel axis (-1: the last); not 0, which is the batch */
    public GramMatrix(int axis) {
        this.axis = axis;
    }

    public int axis() {
        return axis;
    }

    @Override
    public void observe(long[] dims, FloatBuffer values) {
        ChannelAxis c = ChannelAxis.of(dims, axis, "Gram matrix");
        if ((axis < 0 ? dims.length + axis : axis) == 0) {
            throw new IllegalArgumentException("Gram matrix: axis 0 is the batch, not a channel axis");
        }
        init(c.channels());
        long items = dims[0];
        long rowsPerItem = items == 0 ? 0 : c.outer() / items * c.inner();
        long itemSize = rowsPerItem * width;
        float[][] x = new float[(int) rowsPerItem][width];
        double[] partial = new double[upper.size()];
        int base = values.position();
        for (long item = 0; item < items; item++) {
            int kept = gatherRows(values, base + (int) (item * itemSize), c.inner(), rowsPerItem, x);
            java.util.Arrays.fill(partial, 0);
            accumulate(x, kept, partial);
            for (int e = 0; e < partial.length; e++) {
                upper.add(e, partial[e]);
            }
            rows += kept;
        }
    }

    /** Copies the item's rows into {@code x} (row r, channel k), dropping rows with a non-finite value. */
    private int gatherRows(FloatBuffer values, int start, long inner, long rowsPerItem, float[][] x) {
        int kept = 0;
        for (long r = 0; r < rowsPerItem; r++) {
            long o = r / inner;
            long in = r % inner;
            boolean finite = true;
            for (int k = 0; k < width; k++) {
                float v = values.get(start + (int) ((o * width + k) * inner + in));
                finite &= Float.isFinite(v);
                x[kept][k] = v;
            }
            if (finite) {
                kept++;
            } else {
                skippedRows++;
            }
        }
        return kept;
    }

    /** The upper triangle of Σ x xᵀ over the first {@code n} rows, packed row by row, in double. */
    static void accumulate(float[][] x, int n, double[] packed) {
        int k = x.length == 0 ? 0 : x[0].length;
        for (int r = 0; r < n; r++) {
            float[] row = x[r];
            int e = 0;
            for (int i = 0; i < k; i++) {
                double xi = row[i];
                for (int j = i; j < k; j++) {
                    packed[e++] += xi * row[j];
                }
            }
        }
    }

    private void init(int channels) {
        if (upper == null) {
            width = channels;
            upper = new ExactSums(channels * (channels + 1) / 2);
        }
        ChannelAxis.requireWidth(width, channels, "Gram matrix");
    }

    @Override
    public void merge(GramMatrix other) {
        skippedRows += other.skippedRows;
        if (other.upper == null) {
            return;
        }
        init(other.width);
        upper.merge(other.upper);
        rows += other.rows;
    }

    @Override
    public GramMatrix emptyCopy() {
        return new GramMatrix(axis);
    }

    /** K, or -1 when nothing was observed. */
    public int width() {
        return width;
    }

    /** Rows summed (positions times items). */
    public long rows() {
        return rows;
    }

    public long skippedRows() {
        return skippedRows;
    }

    /** The full symmetric K×K matrix, row-major. */
    public double[] matrix() {
        double[] m = new double[width * width];
        int e = 0;
        for (int i = 0; i < width; i++) {
            for (int j = i; j < width; j++) {
                double v = upper.get(e++);
                m[i * width + j] = v;
                m[j * width + i] = v;
            }
        }
        return m;
    }

    /** Whether the two hold the same sums, bit for bit. */
    public boolean sameAs(GramMatrix other) {
        return width == other.width && rows == other.rows && (upper == null || upper.sameAs(other.upper));
    }
}
