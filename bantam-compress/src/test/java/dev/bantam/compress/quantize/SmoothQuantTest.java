package dev.bantam.compress.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.compress.stats.ActivationStatistics;
import dev.bantam.compress.testing.Graphs;
import dev.bantam.compress.testing.Runs;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * SmoothQuant alone is an exact rewrite of the float model, (X / s)(s W) = X W, so the smoothed float model
 * must compute what the original did: also when two LayerNormalizations share one γ and β, and when one
 * candidate cannot be smoothed.
 */
class SmoothQuantTest {

    private static StaticPlan plan(Model m) {
        PreSteps.run(m);
        return new StaticPlan(m.graph(), StaticQuantizeConfig.defaults());
    }

    /** Per-channel extremes from random values of width {@code width} for each candidate, in order. */
    private static ActivationStatistics stats(StaticPlan plan, int... widths) {
        ActivationStatistics s = new ActivationStatistics();
        SmoothQuant.request(plan, s);
        Random r = new Random(5);
        int i = 0;
        for (String name : List.copyOf(s.names())) {
            int w = widths[i++];
            float[] v = new float[8 * w];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) (r.nextGaussian() * (1 + (k % w == 3 ? 20 : 0))); // one outlier channel
            }
            s.observe(name, new long[] {8, w}, FloatBuffer.wrap(v));
        }
        return s;
    }

    @Test
    void aSharedGammaAndBetaAreScaledPerLayerNormalizationAndTheModelStaysExact() {
        Model m = Graphs.twoLayerNormsSharingGammaBeta();
        Map<String, Tensor> feeds = Runs.feeds(m, 4, 3);
        float[] expected = Runs.run(m, feeds);
        StaticPlan plan = plan(m);
        List<String> notes = SmoothQuant.apply(plan, stats(plan, 16, 16), 0.5);
        assertEquals(2, notes.stream().filter(n -> n.startsWith("SmoothQuant alpha")).count(), notes.toString());
        List<Node> norms = m.graph().nodes().stream().filter(n -> n.isStandard("LayerNormalization")).toList();
        assertNotEquals(norms.get(0).input(1), norms.get(1).input(1), "each LayerNormalization has its own γ");
        assertNotEquals(norms.get(0).input(2), norms.get(1).input(2), "each LayerNormalization has its own β");
        float[] actual = Runs.run(m, feeds);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), "output " + i);
        }
        assertTrue(OnnxSerde.toBytes(m).length > 0);
    }

    @Test
    void aCandidateThatCannotBeSmoothedLeavesTheOthersSmoothed() {
        Model m = Graphs.twoLayerNormsSharingGammaBeta();
        Map<String, Tensor> feeds = Runs.feeds(m, 4, 3);
        float[] expected = Runs.run(m, feeds);
        StaticPlan plan = plan(m);
        List<String> notes = SmoothQuant.apply(plan, stats(plan, 12, 16), 0.5); // the first was seen 12 wide
        assertTrue(notes.getFirst().startsWith("SmoothQuant skipped"), notes.toString());
        assertEquals(1, notes.stream().filter(n -> n.startsWith("SmoothQuant alpha")).count(), notes.toString());
        float[] actual = Runs.run(m, feeds);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), "output " + i);
        }
    }
}
