package dev.bantam.runtime.data;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.DataException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A seeded shift of the data, at strength 1, 2 or 3, to see whether a compressed model is more fragile than its
 * original: Gaussian noise (σ = 0.05, 0.1, 0.2 of the batch's standard deviation), brightness and contrast (contrast
 * 0.95, 0.9, 0.8 about the mean, brightness +0.05, +0.1, +0.2 standard deviations), blur (the 3-tap kernel
 * [a, 1 - 2a, a] along each of the last two axes, a = 0.1, 0.2, 1/3: the last a 3x3 box) on float inputs; dropped tokens (5, 10, 20% of the words between the first
 * and last token, the rest moved up and the attention mask shortened) on {@code input_ids}; misspelled words
 * (5, 10, 20% of the words, one typing error each, {@link Typos}) in {@code text:} data before tokenizing. The same item gets
 * the same shift on every run and in every model.
 */
public record Perturbation(Kind kind, int strength) {

    public enum Kind { NOISE, BRIGHTNESS, BLUR, TOKENS, TYPOS }

    /** The fraction of words (tokens, typos) a strength touches. */
    static double wordFraction(int strength) {
        return new double[] {0.05, 0.10, 0.20}[strength - 1];
    }

    public Perturbation {
        if (strength < 1 || strength > 3) {
            throw new DataException("perturbation strength must be 1, 2 or 3, not " + strength);
        }
    }

    /** {@code noise:2}, {@code brightness:1}, {@code blur:3}, {@code tokens:1}, {@code typos:2}. */
    public static Perturbation parse(String s) {
        String[] p = s.split(":", -1);
        Kind k;
        try {
            k = Kind.valueOf(p[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DataException("perturb=" + s + ": the kind must be noise, brightness, blur, tokens or typos");
        }
        if (p.length != 2 || !p[1].matches("[123]")) {
            throw new DataException("perturb=" + s + ": give the kind and a strength of 1, 2 or 3, e.g. noise:2");
        }
        return new Perturbation(k, Integer.parseInt(p[1]));
    }

    public String label() {
        return kind.name().toLowerCase(Locale.ROOT) + ":" + strength;
    }

    /** {@code b} shifted; {@code start} (the batch's first item) seeds it, so that every run shifts alike. */
    Batch apply(Batch b, int start, long seed) {
        Random r = new Random(seed * 0x9E3779B97F4A7C15L + start * 31L + kind.ordinal() * 7L + strength);
        Map<String, Tensor> feeds = new LinkedHashMap<>(b.feeds());
        if (kind == Kind.TYPOS) {
            throw new DataException("perturb=" + label() + " misspells words before tokenizing: it needs text: data");
        }
        if (kind == Kind.TOKENS) {
            if (!feeds.containsKey("input_ids") || !feeds.containsKey("attention_mask")) {
                throw new DataException("perturb=" + label() + " needs inputs input_ids and attention_mask");
            }
            TokenDrop.apply(feeds, wordFraction(strength), r);
        } else {
            boolean any = false;
            for (Map.Entry<String, Tensor> e : b.feeds().entrySet()) {
                if (e.getValue().dataType() == DataType.FLOAT && (kind != Kind.BLUR || e.getValue().rank() >= 3)) {
                    feeds.put(e.getKey(), shift(e.getValue(), r));
                    any = true;
                }
            }
            if (!any) {
                throw new DataException("perturb=" + label() + " needs a float input" + (kind == Kind.BLUR
                        ? " of rank 3 or more (an image)" : ""));
            }
        }
        return new Batch(feeds, b.labels(), b.count());
    }

    private Tensor shift(Tensor t, Random r) {
        float[] v = t.toFloatArray();
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= Math.max(1, v.length);
        double var = 0;
        for (float x : v) {
            var += (x - mean) * (x - mean);
        }
        double std = Math.sqrt(var / Math.max(1, v.length));
        int s = strength - 1;
        switch (kind) {
            case NOISE -> {
                double sigma = new double[] {0.05, 0.1, 0.2}[s] * std;
                for (int i = 0; i < v.length; i++) {
                    v[i] += (float) (sigma * r.nextGaussian());
                }
            }
            case BRIGHTNESS -> {
                double c = new double[] {0.95, 0.9, 0.8}[s];
                double shift = new double[] {0.05, 0.1, 0.2}[s] * std;
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (mean + c * (v[i] - mean) + shift);
                }
            }
            case BLUR -> v = Blur.apply(v, t.dims(), new double[] {0.1, 0.2, 1.0 / 3}[s]);
            default -> throw new IllegalStateException(kind.name());
        }
        return Tensor.ofFloats(t.name(), v, t.dims());
    }
}
