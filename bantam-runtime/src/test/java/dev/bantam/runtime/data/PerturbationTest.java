package dev.bantam.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.DataException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PerturbationTest {

    private static Batch images() {
        float[] v = new float[2 * 1 * 5 * 6];
        Random r = new Random(3);
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        return new Batch(Map.of("x", Tensor.ofFloats("x", v, 2, 1, 5, 6)), new int[] {0, 1}, 2);
    }

    @Test
    void theSameItemsGetTheSameShiftOnEveryRun() {
        for (Perturbation.Kind k : new Perturbation.Kind[] {Perturbation.Kind.NOISE, Perturbation.Kind.BRIGHTNESS,
                Perturbation.Kind.BLUR}) {
            Perturbation p = new Perturbation(k, 2);
            float[] a = p.apply(images(), 64, 1).feeds().get("x").toFloatArray();
            float[] b = p.apply(images(), 64, 1).feeds().get("x").toFloatArray();
            assertArrayEquals(a, b, k.name());
            assertNotEquals(java.util.Arrays.toString(images().feeds().get("x").toFloatArray()), java.util.Arrays.toString(a));
        }
        float[] other = new Perturbation(Perturbation.Kind.NOISE, 2).apply(images(), 96, 1).feeds().get("x").toFloatArray();
        float[] here = new Perturbation(Perturbation.Kind.NOISE, 2).apply(images(), 64, 1).feeds().get("x").toFloatArray();
        assertNotEquals(java.util.Arrays.toString(here), java.util.Arrays.toString(other), "other items, other noise");
    }

    /** The strongest blur is a 3x3 box with clamped edges, computed here the plain way. */
    @Test
    void strongestBlurIsAThreeByThreeBox() {
        float[] v = images().feeds().get("x").toFloatArray();
        float[] got = new Perturbation(Perturbation.Kind.BLUR, 3).apply(images(), 0, 1).feeds().get("x").toFloatArray();
        int h = 5;
        int w = 6;
        for (int p = 0; p < 2; p++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double sum = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            sum += v[p * h * w + Math.clamp(y + dy, 0, h - 1) * w + Math.clamp(x + dx, 0, w - 1)];
                        }
                    }
                    assertEquals(sum / 9, got[p * h * w + y * w + x], 1e-5, p + "," + y + "," + x);
                }
            }
        }
    }

    @Test
    void droppedTokensKeepTheFirstAndLastAndShrinkTheMask() {
        long[] ids = {101, 11, 12, 13, 14, 15, 16, 17, 18, 102, 0, 0};
        long[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        feeds.put("input_ids", Tensor.ofLongs("input_ids", ids, 1, 12));
        feeds.put("attention_mask", Tensor.ofLongs("attention_mask", mask, 1, 12));
        Batch out = new Perturbation(Perturbation.Kind.TOKENS, 3).apply(new Batch(feeds, null, 1), 0, 5);
        long[] id2 = out.feeds().get("input_ids").toLongArray();
        long[] mask2 = out.feeds().get("attention_mask").toLongArray();
        int used = (int) java.util.Arrays.stream(mask2).sum();
        assertEquals(101, id2[0]);
        assertEquals(102, id2[used - 1], "the last token stays last");
        for (int t = 0; t < 12; t++) {
            assertEquals(t < used ? 1 : 0, mask2[t], "the mask is a prefix");
            assertTrue(t < used || id2[t] == 0, "the freed end is padding");
        }
        assertTrue(used >= 2 && used <= 10);
    }

    @Test
    void badPerturbationsAreRefusedWithTheirKey() {
        assertTrue(assertThrows(DataException.class, () -> Perturbation.parse("fog:1")).getMessage()
                .contains("noise, brightness, blur or tokens"));
        assertTrue(assertThrows(DataException.class, () -> Perturbation.parse("noise:4")).getMessage()
                .contains("a strength of 1, 2 or 3"));
        Map<String, Tensor> flat = Map.of("x", Tensor.ofFloats("x", new float[] {1, 2}, 1, 2));
        assertTrue(assertThrows(DataException.class, () -> new Perturbation(Perturbation.Kind.BLUR, 1)
                .apply(new Batch(flat, null, 1), 0, 1)).getMessage().contains("rank 3 or more"));
    }
}
