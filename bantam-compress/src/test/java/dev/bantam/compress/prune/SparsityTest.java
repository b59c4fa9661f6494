package dev.bantam.compress.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.testing.Runs;
import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import dev.bantam.onnx.testing.TestData;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Unstructured and N:M pruning: the masks have the sparsity and pattern asked for; SparseGPT's blocked, lazy sweep
 * equals a plain reference (H⁻¹ by Gauss-Jordan elimination, its Cholesky factor by the textbook loop, every update
 * applied at once) and reconstructs a layer's output better than magnitude or Wanda on correlated inputs; sparse
 * storage changes no output.
 */
class SparsityTest {

    @Test
    void masksHaveTheSparsityAndPatternAskedFor() {
        Random r = new Random(1);
        int k = 16;
        int n = 5;
        double[] w = random(r, k * n);
        double[] a = w.clone();
        assertEquals(40, SparseMasks.perLayer(a, SparseMasks.magnitude(a), 0.5));
        assertEquals(40, zeros(a));
        double[] b = w.clone();
        SparseMasks.perOutput(b, SparseMasks.magnitude(b), k, n, 0.75);
        for (int j = 0; j < n; j++) {
            int z = 0;
            for (int i = 0; i < k; i++) {
                z += b[i * n + j] == 0 ? 1 : 0;
            }
            assertEquals(12, z, "output " + j);
        }
        double[] c = w.clone();
        SparseMasks.nOfM(c, SparseMasks.magnitude(c), k, n, 2, 4);
        for (int j = 0; j < n; j++) {
            for (int g = 0; g < k; g += 4) {
                int nz = 0;
                double keptMin = Double.MAX_VALUE;
                double droppedMax = 0;
                for (int i = g; i < g + 4; i++) {
                    boolean kept = c[i * n + j] != 0;
                    nz += kept ? 1 : 0;
                    keptMin = kept ? Math.min(keptMin, Math.abs(w[i * n + j])) : keptMin;
                    droppedMax = kept ? droppedMax : Math.max(droppedMax, Math.abs(w[i * n + j]));
                }
                assertEquals(2, nz, "2 of every 4");
                assertTrue(keptMin >= droppedMax, "the two largest kept");
            }
        }
    }

    @Test
    void sparseGptEqualsThePlainReference() {
        Random r = new Random(2);
        int k = 12;
        int n = 3;
        double[][] x = correlated(r, 300, k);
        double[] gram = gram(x);
        double[] w = random(r, k * n);
        for (int[] pattern : new int[][] {{0, 0}, {2, 4}}) {
            double[] fast = w.clone();
            SparseGpt.prune(fast, k, n, gram, 0.5, pattern[0], pattern[1], 4, 0.01);
            double[] ref = reference(w, k, n, gram, 0.5, pattern[0], pattern[1], 4, 0.01);
            for (int i = 0; i < fast.length; i++) {
                assertEquals(ref[i], fast[i], 1e-9, "pattern " + pattern[0] + ":" + pattern[1] + " weight " + i);
            }
            assertEquals(k * n / 2, zeros(fast));
        }
    }

    @Test
    void sparseGptReconstructsBetterThanMagnitudeAndWanda() {
        Random r = new Random(3);
        int k = 32;
        int n = 8;
        double[][] x = correlated(r, 500, k);
        double[] gram = gram(x);
        double[] w = random(r, k * n);
        double[] mag = w.clone();
        SparseMasks.perLayer(mag, SparseMasks.magnitude(mag), 0.5);
        double[] wanda = w.clone();
        SparseMasks.perOutput(wanda, SparseMasks.wanda(wanda, k, n, gram), k, n, 0.5);
        double[] gpt = w.clone();
        SparseGpt.prune(gpt, k, n, gram, 0.5, 0, 0, 128, 0.01); // one block, as in a layer of 128 inputs
        double em = error(x, w, mag, k, n);
        double ew = error(x, w, wanda, k, n);
        double eg = error(x, w, gpt, k, n);
        assertTrue(eg < ew && eg < em, "output error: sparsegpt " + eg + ", wanda " + ew + ", magnitude " + em);
    }

    /** cnn at 80% magnitude sparsity: sparse initializers, smaller on disk, the same outputs as the dense zeros. */
    @Test
    void sparseStorageChangesNoOutput() throws Exception {
        Model m = ModelIO.load(TestData.repoModel("fmnist/cnn.onnx"));
        byte[] bytes = OnnxSerde.toBytes(m);
        Model sparse = OnnxSerde.read(bytes);
        Model dense = OnnxSerde.read(bytes);
        SparsityConfig c = SparsityConfig.defaults().withMethod(SparsityMethod.MAGNITUDE).withSparsity(0.8);
        SparsityReport rs = new WeightPruning().apply(sparse, c, CompressionContext.withoutData());
        new WeightPruning().apply(dense, c.withSparseStorage(false), CompressionContext.withoutData());
        assertEquals(3, sparse.graph().sparseInitializers().size(), rs.tensors().toString());
        assertEquals(List.of(), ModelChecker.check(sparse).errors());
        int sparseBytes = OnnxSerde.toBytes(sparse).length;
        assertTrue(sparseBytes * 1.6 < bytes.length, sparseBytes + " vs " + bytes.length + " bytes");
        Map<String, Tensor> feeds = Runs.feeds(m, 4, 8);
        assertArrayEquals(Runs.run(dense, feeds), Runs.run(sparse, feeds));
        assertTrue(rs.tensors().stream().allMatch(t -> Math.abs(t.sparsity() - 0.8) < 0.001), rs.tensors().toString());
    }

    /** Stages for sequential calibration: layers reading one input together, a layer after every layer upstream of it. */
    @Test
    void stagesFollowTheLayersUpstream() {
        Model concat = dev.bantam.compress.testing.Graphs.concat();
        List<LayerMatrix> layers = concat.graph().nodes().stream().filter(n -> n.isStandard("Conv"))
                .map(n -> LayerMatrix.of(n).orElseThrow()).toList();
        List<List<LayerMatrix>> stages = WeightPruning.stages(layers);
        assertEquals(2, stages.size());
        assertEquals(2, stages.get(0).size(), "the two branches read x");
        assertEquals(layers.get(2), stages.get(1).getFirst());
        Model ffn = dev.bantam.compress.testing.Graphs.feedForward();
        List<LayerMatrix> mm = ffn.graph().nodes().stream().filter(n -> n.isStandard("MatMul"))
                .map(n -> LayerMatrix.of(n).orElseThrow()).toList();
        assertEquals(List.of(List.of(mm.get(0)), List.of(mm.get(1))), WeightPruning.stages(mm));
    }

    /** The SparseGPT sweep written plainly: every update applied at once, U from a textbook inverse and Cholesky. */
    private static double[] reference(double[] w0, int k, int n, double[] gram, double sparsity, int keep, int m,
                                      int block, double damping) {
        double[] h = gram.clone();
        double mean = 0;
        for (int i = 0; i < k; i++) {
            if (!(h[i * k + i] > 0)) {
                h[i * k + i] = 1;
            }
            mean += h[i * k + i] / k;
        }
        for (int i = 0; i < k; i++) {
            h[i * k + i] += damping * mean;
        }
        double[] inv = invert(h, k);
        double[] l = new double[k * k]; // the lower Cholesky factor of H⁻¹ (textbook): H⁻¹ = L Lᵀ, so U = Lᵀ
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double v = inv[i * k + j];
                for (int t = 0; t < j; t++) {
                    v -= l[i * k + t] * l[j * k + t];
                }
                l[i * k + j] = i == j ? Math.sqrt(v) : v / l[j * k + j];
            }
        }
        // U[i][j] = l[j][i] for j >= i
        double[] w = w0.clone();
        int bs = m > 0 ? Math.max(m, block / m * m) : block;
        boolean[] mask = new boolean[k * n];
        for (int i = 0; i < k; i++) {
            if (m == 0 && i % bs == 0) {
                int size = Math.min(bs, k - i);
                int drop = (int) Math.floor(sparsity * size + 1e-9);
                for (int c = 0; c < n; c++) {
                    double[] s = new double[size];
                    for (int t = 0; t < size; t++) {
                        double u = l[(i + t) * k + (i + t)];
                        s[t] = w[(i + t) * n + c] * w[(i + t) * n + c] / (u * u);
                    }
                    int[] order = SparseMasks.lowestFirst(s, 0, 1, size);
                    for (int t = 0; t < drop; t++) {
                        mask[(i + order[t]) * n + c] = true;
                    }
                }
            }
            if (m > 0 && i % m == 0) {
                for (int c = 0; c < n; c++) {
                    double[] s = new double[m];
                    for (int t = 0; t < m; t++) {
                        double u = l[(i + t) * k + (i + t)];
                        s[t] = w[(i + t) * n + c] * w[(i + t) * n + c] / (u * u);
                    }
                    int[] order = SparseMasks.lowestFirst(s, 0, 1, m);
                    for (int t = 0; t < m - keep; t++) {
                        mask[(i + order[t]) * n + c] = true;
                    }
                }
            }
            double d = l[i * k + i];
            for (int c = 0; c < n; c++) {
                if (!mask[i * n + c]) {
                    continue;
                }
                double err = w[i * n + c] / d;
                w[i * n + c] = 0;
                for (int j = i + 1; j < k; j++) {
                    w[j * n + c] -= l[j * k + i] * err;
                }
            }
        }
        return w;
    }

    private static double[] invert(double[] a0, int k) {
        double[][] a = new double[k][2 * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                a[i][j] = a0[i * k + j];
            }
            a[i][k + i] = 1;
        }
        for (int c = 0; c < k; c++) {
            int p = c;
            for (int i = c + 1; i < k; i++) {
                p = Math.abs(a[i][c]) > Math.abs(a[p][c]) ? i : p;
            }
            double[] t = a[c];
            a[c] = a[p];
            a[p] = t;
            double piv = a[c][c];
            for (int j = 0; j < 2 * k; j++) {
                a[c][j] /= piv;
            }
            for (int i = 0; i < k; i++) {
                if (i != c && a[i][c] != 0) {
                    double f = a[i][c];
                    for (int j = 0; j < 2 * k; j++) {
                        a[i][j] -= f * a[c][j];
                    }
                }
            }
        }
        double[] out = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                out[i * k + j] = a[i][k + j];
            }
        }
        return out;
    }

    private static double[][] correlated(Random r, int rows, int k) {
        double[][] x = new double[rows][k];
        for (double[] row : x) {
            double common = r.nextGaussian();
            for (int j = 0; j < k; j++) {
                row[j] = r.nextGaussian() + (j % 3 == 0 ? 2 * common : 0.5 * common);
            }
        }
        return x;
    }

    private static double[] gram(double[][] x) {
        int k = x[0].length;
        double[] g = new double[k * k];
        for (double[] row : x) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    g[i * k + j] += row[i] * row[j];
                }
            }
        }
        return g;
    }

    private static double error(double[][] x, double[] w, double[] p, int k, int n) {
        double e = 0;
        for (double[] row : x) {
            for (int c = 0; c < n; c++) {
                double y = 0;
                double z = 0;
                for (int i = 0; i < k; i++) {
                    y += row[i] * w[i * n + c];
                    z += row[i] * p[i * n + c];
                }
                e += (y - z) * (y - z);
            }
        }
        return e;
    }

    private static double[] random(Random r, int size) {
        double[] w = new double[size];
        for (int i = 0; i < size; i++) {
            w[i] = r.nextGaussian();
        }
        return w;
    }

    private static int zeros(double[] w) {
        int z = 0;
        for (double v : w) {
            z += v == 0 ? 1 : 0;
        }
        return z;
    }
}
