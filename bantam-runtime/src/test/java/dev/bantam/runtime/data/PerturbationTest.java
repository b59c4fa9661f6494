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
                .contains("noise, brightness, blur, tokens or typos"));
        assertTrue(assertThrows(DataException.class, () -> Perturbation.parse("noise:4")).getMessage()
                .contains("a strength of 1, 2 or 3"));
        Map<String, Tensor> flat = Map.of("x", Tensor.ofFloats("x", new float[] {1, 2}, 1, 2));
        assertTrue(assertThrows(DataException.class, () -> new Perturbation(Perturbation.Kind.BLUR, 1)
                .apply(new Batch(flat, null, 1), 0, 1)).getMessage().contains("rank 3 or more"));
    }

    /** Typos: one typing error in about the given fraction of words, the same for an item on every call. */
    @Test
    void typosMisspellAFractionOfTheWordsTheSameWayEachTime() {
        String text = String.join(" ", java.util.Collections.nCopies(400, "compression keeps quality"));
        for (double f : new double[] {0.05, 0.10, 0.20}) {
            String once = new Typos(f, 1).apply(text, 7);
            assertEquals(once, new Typos(f, 1).apply(text, 7), "seeded per item");
            assertNotEquals(once, new Typos(f, 1).apply(text, 8), "another item, other typos");
            String[] a = text.split(" ");
            String[] b = once.split(" ", -1);
            assertEquals(a.length, b.length, "words are changed, never joined or split");
            int changed = 0;
            for (int i = 0; i < a.length; i++) {
                if (!a[i].equals(b[i])) {
                    changed++;
                    assertTrue(Math.abs(a[i].length() - b[i].length()) <= 1, a[i] + " -> " + b[i]);
                }
            }
            assertTrue(Math.abs(changed - f * a.length) < 4 * Math.sqrt(f * a.length) + 3, f + ": " + changed);
        }
        assertEquals("a an to", new Typos(1.0, 1).apply("a an to", 0), "words under three letters are left alone");
        assertTrue(assertThrows(DataException.class, () -> new Perturbation(Perturbation.Kind.TYPOS, 1)
                .apply(new Batch(Map.of(), null, 1), 0, 1)).getMessage().contains("needs text: data"));
    }

    /** perturb=typos:N on text data changes the token ids of some items, and the same ones on every open. */
    @Test
    void typosThroughADataSpecChangeTheTokens(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path texts = java.nio.file.Files.writeString(dir.resolve("t.txt"),
                "Models are compressed without losing what they learned\n".repeat(8));
        java.nio.file.Path tok = dev.bantam.onnx.testing.TestData.classpathModel("all-minilm-l6-v2-tokenizer.json", dir);
        var inputs = java.util.List.of(new dev.bantam.runtime.InputInfo("input_ids", dev.bantam.onnx.ir.DataType.INT64,
                new long[] {-1, -1}), new dev.bantam.runtime.InputInfo("attention_mask", dev.bantam.onnx.ir.DataType.INT64,
                new long[] {-1, -1}));
        String spec = "text:" + texts + ",tokenizer=" + tok;
        long[] clean = DataSpec.open(spec, null, inputs).batch(0, 8).feeds().get("input_ids").toLongArray();
        long[] typos = DataSpec.open(spec + ",perturb=typos:3", null, inputs).batch(0, 8).feeds().get("input_ids")
                .toLongArray();
        long[] again = DataSpec.open(spec + ",perturb=typos:3", null, inputs).batch(0, 8).feeds().get("input_ids")
                .toLongArray();
        assertArrayEquals(typos, again);
        assertTrue(!java.util.Arrays.equals(clean, typos), "some words misspelled");
        assertTrue(DataSpec.open(spec + ",perturb=typos:1", null, inputs).describe().contains("5% of words misspelled"));
    }
}
