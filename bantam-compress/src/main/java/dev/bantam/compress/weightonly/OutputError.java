package dev.bantam.compress.weightonly;

import java.util.stream.IntStream;

/**
 * Σ_c d_cᵀ H d_c over the columns d_c of a weight change: how much a layer's output x·W moves on the calibration
 * rows whose Gram matrix is H (the loss GPTQ minimises and AWQ searches on). The fast form computes H·D row by
 * row as sums of scaled rows of D (contiguous, so the JIT vectorizes them), rows split over the cores; each row's
 * sum keeps one order, so the result is the same on any number of cores. {@link #reference} is the plain
 * triple loop a test holds it to.
 */
final class OutputError {

    /** Rows of H per parallel task. */
    private static final int CHUNK = 16;
    /** Columns of D per tile: the tile's rows of D stay in cache while every row of H in a chunk reads them. */
    private static final int TILE = 512;

    private OutputError() {
    }

    /**
     * @param h    H, [k][k] row-major
     * @param rows the change D in row form, [k][n]: row i holds input channel i's weights of every column
     */
    static double of(double[] h, int k, float[] rows, int n) {
        double[] perRow = new double[k];
        int chunks = (k + CHUNK - 1) / CHUNK;
        IntStream.range(0, chunks).parallel().forEach(ch -> {
            double[] y = new double[TILE];
            for (int c0 = 0; c0 < n; c0 += TILE) {
                int len = Math.min(TILE, n - c0);
                for (int i = ch * CHUNK; i < Math.min(k, (ch + 1) * CHUNK); i++) {
                    product(h, k, rows, n, i, c0, len, y);
                    int ir = i * n + c0;
                    double sum = 0;
                    for (int c = 0; c < len; c++) {
                        sum += rows[ir + c] * y[c];
                    }
                    perRow[i] += sum;
                }
            }
        });
        double total = 0;
        for (double p : perRow) {
            total += p;
        }
        return total;
    }

    /**
     * y[0, len) = Σ_j H[i, j] · D[j, c0 + c), four rows of D per pass over y. D is float and y double so that the
     * JIT can tell they do not alias and vectorizes the loop (with both double it does not: 2.4x slower, measured).
     */
    private static void product(double[] h, int k, float[] rows, int n, int i, int c0, int len, double[] y) {
        java.util.Arrays.fill(y, 0, len, 0);
        int hr = i * k;
        int j = 0;
        for (; j + 4 <= k; j += 4) {
            double h0 = h[hr + j];
            double h1 = h[hr + j + 1];
            double h2 = h[hr + j + 2];
            double h3 = h[hr + j + 3];
            int r0 = j * n + c0;
            int r1 = r0 + n;
            int r2 = r1 + n;
            int r3 = r2 + n;
            for (int c = 0; c < len; c++) {
                y[c] += h0 * rows[r0 + c] + h1 * rows[r1 + c] + h2 * rows[r2 + c] + h3 * rows[r3 + c];
            }
        }
        for (; j < k; j++) {
            double hj = h[hr + j];
            int r = j * n + c0;
            for (int c = 0; c < len; c++) {
                y[c] += hj * rows[r + c];
            }
        }
    }

    /** The same sum from columns in column form, [n][k]. */
    static double ofColumns(double[] h, int k, float[] columns, int n) {
        float[] rows = new float[k * n];
        for (int c = 0; c < n; c++) {
            for (int i = 0; i < k; i++) {
                rows[i * n + c] = columns[c * k + i];
            }
        }
        return of(h, k, rows, n);
    }

    /** The plain form: d_cᵀ H d_c column by column. */
    static double reference(double[] h, int k, float[] rows, int n) {
        double total = 0;
        for (int c = 0; c < n; c++) {
            for (int i = 0; i < k; i++) {
                double hd = 0;
                for (int j = 0; j < k; j++) {
                    hd += h[i * k + j] * rows[j * n + c];
                }
                total += rows[i * n + c] * hd;
            }
        }
        return total;
    }
}
