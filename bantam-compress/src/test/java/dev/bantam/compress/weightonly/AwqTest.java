package dev.bantam.compress.weightonly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.compress.testing.Graphs;
import dev.bantam.compress.testing.Runs;
import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * AWQ: the output-error kernel against its plain form (ill-conditioned H, sizes that are not multiples of its
 * tiles), the scale and clip searches against RTN on the layer output, and the graph rewrite, which must leave the
 * float model's outputs as they were (in ONNX Runtime) whether the division is folded or a Mul is inserted.
 */
class AwqTest {

    static final BlockFormat F4 = new BlockFormat(4, 16, false);

    @Test
    void outputErrorFastFormEqualsThePlainForm() {
        for (int[] kn : new int[][] {{83, 300}, {16, 5}, {130, 1030}}) {
            int k = kn[0];
            int n = kn[1];
            // 6 latent factors and scales over decades: cond(H) ~ 1e12
            double[] h = GptqTest.gram(GptqTest.inputs(50, k, 6, 1e-4, k), 50, k);
            float[] d = WeightOnlyFormatsTest.gaussian(k * n, n, 0.01);
            double fast = OutputError.of(h, k, d, n);
            double ref = OutputError.reference(h, k, d, n);
            assertEquals(ref, fast, Math.abs(ref) * 1e-10, k + "x" + n);
        }
    }

    @Test
    void scalesAndClipsBeatRtnOnTheLayerOutput() {
        int k = 128;
        int n = 48;
        float[] x = GptqTest.inputs(1000, k, 32, 0.3, 5);
        double[] h = GptqTest.gram(x, 1000, k);
        float[] w = GptqTest.rows(k, n, 6);
        float[] cols = BlockLayer.transpose(w, k, n);
        Awq.Scaling sc = Awq.search(h, k, List.of(w), List.of(n), F4);
        assertTrue(sc.alpha() > 0 && sc.loss() < sc.rtnLoss(), "alpha " + sc.alpha() + " loss " + sc.loss() + " vs "
                + sc.rtnLoss());
        float[] scaled = cols.clone();
        for (int c = 0; c < n; c++) {
            for (int i = 0; i < k; i++) {
                scaled[c * k + i] *= sc.s()[i];
            }
        }
        float[] stored = Awq.roundClipped(scaled, k, n, F4, Awq.scaledGram(h, k, sc.s())).columns();
        for (int c = 0; c < n; c++) {
            for (int i = 0; i < k; i++) {
                stored[c * k + i] /= sc.s()[i];
            }
        }
        double awq = WeightOnlyQuantization.outputSqnr(cols, stored, k, n, h);
        double rtn = WeightOnlyQuantization.outputSqnr(cols, DataFree.quantize(cols, k, n, F4, false).columns(), k, n, h);
        assertTrue(awq > rtn + 1, "AWQ " + awq + " dB vs RTN " + rtn + " dB on the output");
    }

    @Test
    void theClipSearchIsNeverWorseThanMinMaxOnTheOutput() {
        int k = 64;
        int n = 20;
        double[] h = GptqTest.gram(GptqTest.inputs(40, k, 6, 1e-4, 3), 40, k);
        float[] cols = BlockLayer.transpose(GptqTest.rows(k, n, 4), k, n);
        for (BlockFormat f : List.of(F4, new BlockFormat(3, 32, true), new BlockFormat(8, 16, false))) {
            double clipped = WeightOnlyQuantization.outputSqnr(cols, Awq.roundClipped(cols, k, n, f, h).columns(), k, n, h);
            double rtn = WeightOnlyQuantization.outputSqnr(cols, DataFree.quantize(cols, k, n, f, false).columns(), k, n, h);
            assertTrue(clipped >= rtn - 1e-9, f + ": " + clipped + " dB vs " + rtn + " dB");
        }
    }

    @Test
    void foldingIntoLayerNormsKeepsTheFloatOutputsAndLeavesSharedGammaAlone() {
        Model m = Graphs.twoLayerNormsSharingGammaBeta();
        Map<String, Tensor> feeds = Runs.feeds(m, 1, 3);
        float[] before = Runs.run(m, feeds);
        List<String> notes = rescale(m);
        assertTrue(notes.getFirst().contains("2 folded into their producer, 0 by an inserted Mul"), notes.toString());
        assertEquals(0, Runs.counts(m).getOrDefault("Mul", 0), Runs.counts(m).toString());
        assertClose(before, Runs.run(m, feeds));
    }

    @Test
    void anInputWithOtherReadersGetsAMulAndTheSameOutputs() {
        Model m = Graphs.twoLayerNormsSharingGammaBeta();
        // the second LayerNormalization's output also feeds the last residual Add: it cannot take the division
        Value ln2 = m.graph().nodes().stream().filter(n -> n.opType().equals("LayerNormalization")).toList().get(1)
                .output(0);
        Node last = m.graph().nodes().getLast();
        last.replaceInput(last.input(0) == ln2 ? 0 : 1, ln2);
        Map<String, Tensor> feeds = Runs.feeds(m, 2, 3);
        float[] before = Runs.run(m, feeds);
        List<String> notes = rescale(m);
        assertTrue(notes.getFirst().contains("1 folded into their producer, 1 by an inserted Mul"), notes.toString());
        assertClose(before, Runs.run(m, feeds));
    }

    /** AWQ's rewrite with Gram matrices of skewed random inputs (no rounding: the model must compute the same). */
    private static List<String> rescale(Model m) {
        List<BlockLayer> layers = new ArrayList<>();
        Map<String, double[]> grams = new LinkedHashMap<>();
        for (Node n : m.graph()) {
            if (n.opType().equals("MatMul")) {
                BlockLayer l = BlockLayer.of(n, new StringBuilder()).orElseThrow();
                layers.add(l);
                grams.put(l.data().name(), GptqTest.gram(GptqTest.inputs(200, l.k(), 8, 0.3, layers.size()), 200, l.k()));
            }
        }
        List<String> notes = new ArrayList<>();
        AwqRewrite.Result r = AwqRewrite.apply(m.graph(), layers, grams, F4, ProgressListener.NONE, notes);
        assertEquals(layers.size(), r.layers().size());
        for (BlockLayer l : r.layers()) {
            assertTrue(r.grams().containsKey(l.data().name()), "a Gram matrix for " + l.data().name());
        }
        new dev.bantam.onnx.optimize.DeadCodeElimination().run(m);
        return notes;
    }

    private static void assertClose(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-4 * Math.max(1, Math.abs(a[i])), "output " + i);
        }
    }
}
