package dev.bantam.compress.stats;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code XᵀX} over the vectors along a channel axis: every position of an activation (a token, a pixel) is a
 * row x of width K, and the K×K matrix sums {@code x xᵀ} over all rows seen. GPTQ and SparseGPT take it as
 * the layer's Hessian, data-aware SVD as the input covariance.
 *
 * <p>Each item (a slice along axis 0) is summed on its own in double, rows in their order, and the item's
 * partial matrix is added into {@link ExactSums}; the result is therefore the same to the last bit whatever
 * the batch size, the order of the items, or how they were split between accumulators later merged. The work
 * goes tile by tile of the matrix (a wide matrix does not fit in cache); {@link #addSimple} is the plain
 * reference a test holds it to. Rows with a non-finite value are skipped and counted. Memory: 16 bytes per
 * entry of the upper triangle.
 */
public final class GramMatrix implements Accumulator<GramMatrix> {

    private static final int TILE = 64;

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
        int items = (int) dims[0];
        int rowsPerItem = items == 0 ? 0 : (int) (c.outer() / items * c.inner());
        float[][][] rows = new float[items][][];
        for (int item = 0; item < items; item++) {
            rows[item] = gatherRows(values, values.position() + item * rowsPerItem * width, c.inner(), rowsPerItem);
            this.rows += rows[item].length;
        }
        addTiled(rows);
    }

    /**
     * Adds each item's Σ x xᵀ, tile by tile of the matrix, so a tile of the fixed-point sums stays in cache while
     * every item of the batch adds to it: the same per-item double partials as {@link #addSimple}, entry for entry.
     */
    private void addTiled(float[][][] items) {
        List<int[]> tiles = new ArrayList<>();
        for (int i0 = 0; i0 < width; i0 += TILE) {
            for (int j0 = i0; j0 < width; j0 += TILE) {
                tiles.add(new int[] {i0, j0});
            }
        }
        // tiles are independent and each entry's sums keep their order, so the work is split over the cores
        // (between two ONNX Runtime runs) with the same bits as one thread
        tiles.parallelStream().forEach(t -> addTile(items, t[0], t[1]));
    }

    private void addTile(float[][][] items, int i0, int j0) {
        int i1 = Math.min(width, i0 + TILE);
        int j1 = Math.min(width, j0 + TILE);
        double[] tile = new double[TILE * TILE];
        for (float[][] item : items) {
            java.util.Arrays.fill(tile, 0);
            addRows(item, tile, i0, i1, j0, j1);
            for (int i = i0; i < i1; i++) {
                int e = index(i, Math.max(i, j0));
                for (int j = Math.max(i, j0); j < j1; j++) {
                    upper.add(e++, tile[(i - i0) * TILE + j - j0]);
                }
            }
        }
    }

    /**
     * Adds x_i x_j of every row into the tile, four rows per pass over it: each entry still receives the rows'
     * products one after the other in row order, so the sums equal {@link #addSimple}'s bit for bit, with a
     * quarter of the tile's loads and stores. The rows stay float (each product is still formed in double, so the
     * bits are the same): the JIT then knows they do not alias the double tile and vectorizes the inner loop.
     */
    private static void addRows(float[][] rows, double[] tile, int i0, int i1, int j0, int j1) {
        int r = 0;
        for (; r + 4 <= rows.length; r += 4) {
            float[] a = rows[r];
            float[] b = rows[r + 1];
            float[] c = rows[r + 2];
            float[] d = rows[r + 3];
            for (int i = i0; i < i1; i++) {
                double ai = a[i];
                double bi = b[i];
                double ci = c[i];
                double di = d[i];
                int t = (i - i0) * TILE - j0;
                for (int j = Math.max(i, j0); j < j1; j++) {
                    tile[t + j] = tile[t + j] + ai * a[j] + bi * b[j] + ci * c[j] + di * d[j];
                }
            }
        }
        for (; r < rows.length; r++) {
            float[] x = rows[r];
            for (int i = i0; i < i1; i++) {
                double xi = x[i];
                int t = (i - i0) * TILE - j0;
                for (int j = Math.max(i, j0); j < j1; j++) {
                    tile[t + j] += xi * x[j];
                }
            }
        }
    }

    /** The simple reference: each item's partial over the whole upper triangle, then added entry by entry. */
    void addSimple(float[][][] items) {
        double[] partial = new double[upper.size()];
        for (float[][] item : items) {
            java.util.Arrays.fill(partial, 0);
            for (float[] x : item) {
                int e = 0;
                for (int i = 0; i < width; i++) {
                    double xi = x[i];
                    for (int j = i; j < width; j++) {
                        partial[e++] += xi * x[j];
                    }
                }
            }
            for (int e = 0; e < partial.length; e++) {
                upper.add(e, partial[e]);
            }
            rows += item.length;
        }
    }

    /** Position of entry (i, j), j >= i, in the packed upper triangle. */
    private int index(int i, int j) {
        return i * width - i * (i - 1) / 2 + (j - i);
    }

    /** The item's rows (position by position, channel vector each), dropping rows with a non-finite value. */
    private float[][] gatherRows(FloatBuffer values, int start, long inner, int rowsPerItem) {
        float[][] x = new float[rowsPerItem][];
        int kept = 0;
        for (int r = 0; r < rowsPerItem; r++) {
            long o = r / inner;
            long in = r % inner;
            float[] row = new float[width];
            boolean finite = true;
            for (int k = 0; k < width; k++) {
                float v = values.get(start + (int) ((o * width + k) * inner + in));
                finite &= Float.isFinite(v);
                row[k] = v;
            }
            if (finite) {
                x[kept++] = row;
            } else {
                skippedRows++;
            }
        }
        return java.util.Arrays.copyOf(x, kept);
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
    public boolean sameRequestAs(Accumulator<?> other) {
        return other instanceof GramMatrix o && o.axis == axis;
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
