package dev.bantam.compress.lowrank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.testing.Graphs;
import dev.bantam.compress.testing.Runs;
import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.testing.TestData;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Low-rank factorization on graphs built in code: at full rank every form (MatMul, Gemm with transB, channel,
 * spatial and Tucker-2 convolutions with strides and pads) computes what the layer did, and truncated ranks
 * lose what their discarded singular values say; data-aware SVD beats plain SVD on the data it whitens with.
 */
class LowRankTest {

    /** Factorizes every weighted layer of {@code m} at full rank, through the rewrite the technique uses. */
    private static void fullRank(Model m, ConvFactorization conv) {
        for (Node n : m.graph().nodes()) {
            if (!List.of("MatMul", "Gemm", "Conv").contains(n.opType())) {
                continue;
            }
            Layer l = (Layer) Layer.of(n, conv);
            Factors f = l.form() == FactorizedLayer.Form.TUCKER ? Tucker.of(l.weight())
                    : Factorization.of(l.matrix(), l.k(), l.n(), null, 0.01);
            assertEquals(1.0, f.energyKept(f.fullRank()), 1e-9);
            LayerRewriter.rewrite(l, f.factors(f.fullRank()), f.fullRank());
        }
    }

    /** Conv 3x3 stride 2 pads 1 -> Relu -> Conv 3x3 (asymmetric pads) -> Gemm(transB) after Flatten. */
    private static Model strided() {
        return Graphs.stridedConvsAndGemm();
    }

    @Test
    void everyFormAtFullRankComputesWhatTheLayerDid() {
        for (ConvFactorization conv : ConvFactorization.values()) {
            for (Supplier<Model> g : List.<Supplier<Model>>of(Graphs::convReluPool, Graphs::gemm, Graphs::matMul,
                    LowRankTest::strided)) {
                Model m = g.get();
                Map<String, Tensor> feeds = Runs.feeds(m, 3, 2);
                float[] expected = Runs.run(m, feeds);
                fullRank(m, conv);
                assertEquals(List.of(), ModelChecker.check(m).errors());
                float[] actual = Runs.run(m, feeds);
                double scale = 0;
                double err = 0;
                for (int i = 0; i < expected.length; i++) {
                    scale = Math.max(scale, Math.abs(expected[i]));
                    err = Math.max(err, Math.abs(expected[i] - actual[i]));
                }
                assertTrue(err <= 1e-4 * scale, conv + ": max error " + err + " of " + scale);
            }
        }
    }

    @Test
    void aTruncatedRankLosesWhatItsSpectrumSays() {
        Random r = new Random(1);
        int k = 40;
        int n = 30;
        double[] w = new double[k * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextGaussian();
        }
        Factorization f = Factorization.of(w, k, n, null, 0.01);
        for (int rank : new int[] {5, 15, 29}) {
            double[][] ab = f.factors(rank);
            double err = 0;
            double norm = 0;
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < n; j++) {
                    double v = 0;
                    for (int t = 0; t < rank; t++) {
                        v += ab[0][i * rank + t] * ab[1][t * n + j];
                    }
                    err += (v - w[i * n + j]) * (v - w[i * n + j]);
                    norm += w[i * n + j] * w[i * n + j];
                }
            }
            assertEquals(1 - f.energyKept(rank), err / norm, 1e-9, "rank " + rank);
            assertEquals(10 * Math.log10(norm / err), f.sqnrDb(rank), 1e-6);
        }
    }

    @Test
    void dataAwareSvdKeepsTheOutputBetterThanPlainSvd() {
        Random r = new Random(2);
        int k = 32;
        int n = 24;
        int rows = 400;
        double[] x = new double[rows * k];
        for (int i = 0; i < rows; i++) {
            double common = r.nextGaussian();
            for (int c = 0; c < k; c++) { // anisotropic, correlated inputs: a few channels dominate
                x[i * k + c] = r.nextGaussian() * (c < 4 ? 10 : 0.3) + common * (c % 3 == 0 ? 2 : 0);
            }
        }
        double[] w = new double[k * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextGaussian();
        }
        double[] gram = new double[k * k];
        for (int i = 0; i < rows; i++) {
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    gram[a * k + b] += x[i * k + a] * x[i * k + b];
                }
            }
        }
        Factorization plain = Factorization.of(w, k, n, null, 0.01);
        Factorization aware = Factorization.of(w, k, n, gram, 0.01);
        for (int rank : new int[] {4, 8, 16}) {
            double ep = outputError(x, w, plain.factors(rank), rows, k, n, rank);
            double ea = outputError(x, w, aware.factors(rank), rows, k, n, rank);
            assertTrue(ea <= ep, "rank " + rank + ": data-aware " + ea + " > plain " + ep);
            double signal = outputError(x, w, new double[][] {new double[k * rank], new double[rank * n]}, rows, k, n, rank);
            assertEquals(10 * Math.log10(signal / ea), aware.sqnrDb(rank), 1e-6, "the whitened spectrum predicts it");
        }
    }

    private static double outputError(double[] x, double[] w, double[][] ab, int rows, int k, int n, int rank) {
        double e = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) {
                double y = 0;
                double z = 0;
                for (int c = 0; c < k; c++) {
                    y += x[i * k + c] * w[c * n + j];
                    double wc = 0;
                    for (int t = 0; t < rank; t++) {
                        wc += ab[0][c * rank + t] * ab[1][t * n + j];
                    }
                    z += x[i * k + c] * wc;
                }
                e += (y - z) * (y - z);
            }
        }
        return e;
    }

    @Test
    void theTechniqueFactorizesOnlyWhereItPaysAndReportsIt() throws Exception {
        Model m = ModelIO.load(TestData.repoModel("fmnist/cnn.onnx"));
        Map<String, Tensor> feeds = Runs.feeds(m, 4, 4);
        float[] expected = Runs.run(m, feeds);
        LowRankConfig c = LowRankConfig.defaults().withDataAware(false).withRank(RankRule.ratio(0.5));
        LowRankReport r = new LowRankFactorization().apply(m, c, CompressionContext.withoutData());
        assertEquals(2, r.tensors().size(), r.tensors().toString());
        for (FactorizedLayer l : r.tensors()) {
            assertTrue(l.parametersAfter() < l.parametersBefore());
            assertEquals(0, l.rank() % 8, "rounded to the multiple");
        }
        assertTrue(r.decisions().stream().anyMatch(d -> !d.applied() && d.reason().contains("smaller than 4096")));
        assertEquals(List.of(), ModelChecker.check(m).errors());
        assertTrue(Runs.cosine(expected, Runs.run(m, feeds)) > 0.95, "close on inputs unlike the training images too");
        LowRankConfig fixed = c.withRank(RankRule.fixed(512));
        Model again = ModelIO.load(TestData.repoModel("fmnist/cnn.onnx"));
        LowRankReport none = new LowRankFactorization().apply(again, fixed, CompressionContext.withoutData());
        assertEquals(0, none.tensors().size());
        assertTrue(none.decisions().stream().allMatch(d -> !d.applied()), "rank 512 pays off nowhere");
    }

    @Test
    void settingsItCannotHonourAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RankRule(RankMethod.ENERGY, null, 0.5, null, null, 8, 10));
        assertThrows(IllegalArgumentException.class, () -> new RankRule(RankMethod.FIXED, null, null, null, null, 8, 10));
        assertThrows(IllegalArgumentException.class, () -> RankRule.energy(1.5));
        assertThrows(IllegalArgumentException.class, () -> RankRule.ratio(1));
        var data = assertThrows(IllegalStateException.class, () -> new LowRankFactorization().apply(Graphs.gemm(),
                LowRankConfig.defaults().withScope(LowRankConfig.defaults().scope().withMinWeightSize(16)),
                CompressionContext.withoutData()));
        assertTrue(data.getMessage().contains("calibration data"), data.getMessage());
        var scan = assertThrows(IllegalArgumentException.class, () -> new LowRankFactorization().apply(Graphs.gemm(),
                LowRankConfig.defaults().withDataAware(false).withRank(RankRule.sensitivity(0.3))
                        .withScope(LowRankConfig.defaults().scope().withMinWeightSize(16)), CompressionContext.withoutData()));
        assertTrue(scan.getMessage().contains("evaluation data"), scan.getMessage());
    }
}
