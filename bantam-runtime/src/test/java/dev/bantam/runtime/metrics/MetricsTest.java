package dev.bantam.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ir.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each metric against values worked out by hand. */
class MetricsTest {

    @Test
    void percentilesInterpolate() {
        double[] v = {1, 2, 3, 4, 5};
        assertEquals(1, Percentiles.of(v, 0));
        assertEquals(3, Percentiles.of(v, 50));
        assertEquals(1.04, Percentiles.of(v, 1), 1e-12);
    }

    /**
     * Five items of three classes, worked out by hand (scikit-learn's precision_recall_fscore_support gives the
     * same): labels 0 0 1 1 2, predictions 0 1 1 1 0.
     */
    @Test
    void precisionRecallAndF1PerClassAndMacro() {
        Accuracy a = new Accuracy();
        a.add(Tensor.ofFloats("l", new float[] {9, 1, 0, 1, 9, 0, 0, 9, 1, 0, 9, 1, 9, 0, 1}, 5, 3),
                new int[] {0, 0, 1, 1, 2});
        Accuracy.Result r = a.result(java.util.List.of("cat", "dog"));
        assertEquals(3, r.perClass().size());
        Accuracy.ClassResult cat = r.perClass().get(0);
        assertEquals("cat", cat.name());
        assertEquals(2, cat.support());
        assertEquals(2, cat.predicted());
        assertEquals(0.5, cat.precision(), 1e-12);
        assertEquals(0.5, cat.recall(), 1e-12);
        Accuracy.ClassResult dog = r.perClass().get(1);
        assertEquals(2.0 / 3, dog.precision(), 1e-12);
        assertEquals(1.0, dog.recall(), 1e-12);
        assertEquals(0.8, dog.f1(), 1e-12);
        Accuracy.ClassResult third = r.perClass().get(2);
        assertEquals("2", third.name(), "past the names, labels go by number");
        assertEquals(0, third.precision(), "never predicted: precision 0, as scikit-learn's zero_division=0");
        assertEquals(0, third.f1());
        assertEquals((0.5 + 2.0 / 3 + 0) / 3, r.macroPrecision(), 1e-12);
        assertEquals((0.5 + 1 + 0) / 3, r.macroRecall(), 1e-12);
        assertEquals((0.5 + 0.8 + 0) / 3, r.macroF1(), 1e-12);
        assertEquals(0.6, r.top1(), 1e-12);
    }

    @Test
    void accuracyCountsTopOneAndTopFive() {
        Accuracy a = new Accuracy();
        a.add(Tensor.ofFloats("l", new float[] {0, 5, 1, 2, 3, 4, 9, 8, 7, 6, 5, 0}, 2, 6), new int[] {1, 5});
        assertEquals(0.5, a.result().top1());
        assertEquals(0.5, a.result().top5());
    }

    @Test
    void fidelityOfIdenticalOutputsIsPerfect() {
        Fidelity f = new Fidelity("y");
        Tensor t = Tensor.ofFloats("y", new float[] {1, 2, 3, 4}, 2, 2);
        f.add(t, t);
        Fidelity.Result r = f.result();
        assertEquals(1, r.meanCosine(), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, r.sqnrDb());
        assertEquals(1.0, r.top1Agreement());
        assertEquals(0, r.meanKl(), 1e-12);
    }

    @Test
    void fidelityMeasuresNoise() {
        Fidelity f = new Fidelity("y");
        f.add(Tensor.ofFloats("y", new float[] {3, 4}, 1, 1, 2), Tensor.ofFloats("y", new float[] {4, 3}, 1, 1, 2));
        Fidelity.Result r = f.result();
        assertEquals(24.0 / 25, r.meanCosine(), 1e-9);
        assertEquals(10 * Math.log10(25.0 / 2), r.sqnrDb(), 1e-9);
        assertEquals(1, r.maxAbsError(), 1e-9);
        assertNull(r.top1Agreement(), "no agreement for outputs that are not [items, classes]");
    }

    /**
     * One value per item (a voice-activity probability [items, 1]): the per-item cosine would be 1 whenever the signs
     * agree, and top-1 agreement over one class is always 1; the cosine is taken across items instead, and there is
     * no class agreement.
     */
    @Test
    void fidelityOfOneValuePerItemIsTakenAcrossItems() {
        Fidelity f = new Fidelity("p");
        f.add(Tensor.ofFloats("p", new float[] {0.9f, 0.1f}, 2, 1), Tensor.ofFloats("p", new float[] {0.5f, 0.5f}, 2, 1));
        f.add(Tensor.ofFloats("p", new float[] {0.8f}, 1, 1), Tensor.ofFloats("p", new float[] {0.5f}, 1, 1));
        Fidelity.Result r = f.result();
        double dot = 0.9 * 0.5 + 0.1 * 0.5 + 0.8 * 0.5;
        double expected = dot / Math.sqrt((0.81 + 0.01 + 0.64) * 0.75);
        assertEquals(expected, r.meanCosine(), 1e-6);
        assertEquals(expected, r.minCosine(), 1e-6);
        assertEquals(3, f.cosines().length);
        assertNull(r.top1Agreement(), "one class: no agreement to speak of");
    }

    @Test
    void neighbourAgreementIsOneForTheSameEmbedding() {
        float[][] e = new float[30][8];
        Random r = new Random(1);
        for (float[] row : e) {
            for (int k = 0; k < row.length; k++) {
                row[k] = (float) r.nextGaussian();
            }
        }
        assertEquals(1.0, NeighbourAgreement.of(e, e, 10), 1e-12);
        float[][] shuffled = new float[30][];
        for (int i = 0; i < 30; i++) {
            shuffled[i] = e[(i + 7) % 30];
        }
        assertTrue(NeighbourAgreement.of(e, shuffled, 10) < 0.7);
    }

    @Test
    void linearProbeSeparatesSeparableClasses() {
        Random r = new Random(2);
        float[][] x = new float[200][2];
        int[] y = new int[200];
        for (int i = 0; i < 200; i++) {
            y[i] = i % 2;
            x[i][0] = (float) (r.nextGaussian() * 0.3 + (y[i] == 1 ? 2 : -2));
            x[i][1] = (float) r.nextGaussian();
        }
        LinearProbe p = LinearProbe.train(x, y, 2, 200, 1.0, 0);
        assertTrue(p.accuracy(x, y) > 0.98);
    }

    @Test
    void embeddingsPoolOverTheMaskAndNormalize() {
        Embeddings e = new Embeddings();
        e.add(Tensor.ofFloats("h", new float[] {1, 0, 3, 0, 100, 100}, 1, 3, 2), Tensor.ofLongs("m", new long[] {1, 1, 0}, 1, 3));
        float[] v = e.matrix()[0];
        assertEquals(1, v[0], 1e-6);
        assertEquals(0, v[1], 1e-6);
    }
}
