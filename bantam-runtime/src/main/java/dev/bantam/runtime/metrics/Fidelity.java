package dev.bantam.runtime.metrics;

import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.DataException;
import java.util.Arrays;

/**
 * How closely a model's output follows the reference model's, item by item: cosine similarity (mean and
 * worst percentiles), max absolute error, SQNR in dB; for [items, classes] outputs also top-1 agreement and
 * the KL divergence of the candidate's softmax from the reference's; for [items, positions, classes] outputs the
 * sequence agreement ({@link SequenceAgreement}); with a threshold, the agreement of the thresholded maps
 * ({@link MapAgreement}). Items whose reference is all but zero are counted: cosine says little about them. An
 * output of one value per item gets the cosine across items ({@link #result}).
 */
public final class Fidelity {

    private final String output;
    private double[] cosines = new double[256];
    private int items;
    private double signal;
    private double noise;
    private double maxAbs;
    private long agree;
    private double kl;
    private boolean classes = true;
    private long elements;
    private int tinyItems;
    /** Whether every item so far had one value (a [items] or [items, 1] output): its cosine is taken across items. */
    private boolean scalarItems = true;
    private double dotAll;
    private double rrAll;
    private double ccAll;
    private final SequenceAgreement sequence = new SequenceAgreement(0);
    private final MapAgreement map;

    /** An item whose reference has a root mean square below this is "all but zero". */
    public static final double TINY_RMS = 1e-6;

    public Fidelity(String output) {
        this(output, null);
    }

    /** @param mapThreshold the threshold of score maps, or null to skip map agreement */
    public Fidelity(String output, Double mapThreshold) {
        this.output = output;
        this.map = mapThreshold == null ? null : new MapAgreement(mapThreshold);
    }

    public void add(Tensor reference, Tensor candidate) {
        if (!Arrays.equals(reference.dims(), candidate.dims())) {
            throw new DataException("output '" + output + "': shape " + Arrays.toString(candidate.dims())
                    + " differs from the reference's " + Arrays.toString(reference.dims()));
        }
        float[] r = reference.toFloatArray();
        float[] c = candidate.toFloatArray();
        int n = reference.rank() == 0 ? 1 : (int) reference.dim(0);
        int per = n == 0 ? 0 : r.length / n;
        scalarItems &= per == 1;
        classes &= reference.rank() == 2 && per > 1;
        for (int i = 0; i < n; i++) {
            double dot = 0, rr = 0, cc = 0;
            for (int j = i * per; j < (i + 1) * per; j++) {
                dot += (double) r[j] * c[j];
                rr += (double) r[j] * r[j];
                cc += (double) c[j] * c[j];
                double e = (double) r[j] - c[j];
                noise += e * e;
                maxAbs = Math.max(maxAbs, Math.abs(e));
            }
            signal += rr;
            dotAll += dot;
            rrAll += rr;
            ccAll += cc;
            if (per > 0 && Math.sqrt(rr / per) < TINY_RMS) {
                tinyItems++;
            }
            if (items == cosines.length) {
                cosines = Arrays.copyOf(cosines, items * 2);
            }
            cosines[items++] = rr == 0 && cc == 0 ? 1 : dot / Math.sqrt(rr * cc + 1e-30);
            if (reference.rank() == 2 && per > 1) {
                agree += argmax(r, i * per, per) == argmax(c, i * per, per) ? 1 : 0;
                kl += Softmax.kl(r, c, i * per, per);
            }
        }
        elements += r.length;
        if (reference.rank() == 3 && reference.dim(1) * reference.dim(2) == per) {
            sequence.add(r, c, n, (int) reference.dim(1), (int) reference.dim(2));
        }
        if (map != null) {
            map.add(r, c);
        }
    }

    private static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (v[off + j] > v[off + best]) {
                best = j;
            }
        }
        return best;
    }

    /**
     * The result. An output with one value per item (a probability, a score) has no per-item cosine worth the name
     * (the cosine of two numbers is their sign agreement): its cosine figures are all the cosine across items, the
     * outputs of all items taken as one vector.
     */
    public Result result() {
        double[] sorted = cosines();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(Double.NaN);
        return new Result(output, items, mean, Percentiles.of(sorted, 1), Percentiles.of(sorted, 5),
                items == 0 ? Double.NaN : sorted[0], maxAbs, noise == 0 ? Double.POSITIVE_INFINITY
                : 10 * Math.log10(signal / noise), classes && items > 0 ? (double) agree / items : null,
                classes && items > 0 ? kl / items : null, elements == 0 ? Double.NaN
                : Math.sqrt(signal / elements), tinyItems, sequence.result(), map == null ? null : map.result());
    }

    /** Per-item cosine similarities in order, for error-distribution plots (for one value per item: see {@link #result}). */
    public double[] cosines() {
        double[] out = Arrays.copyOf(cosines, items);
        if (scalarItems && items > 0) {
            Arrays.fill(out, rrAll == 0 && ccAll == 0 ? 1 : dotAll / Math.sqrt(rrAll * ccAll + 1e-30));
        }
        return out;
    }

    /**
     * @param p1Cosine     the 1st percentile: 99% of items are at least this close
     * @param referenceRms root mean square of the reference's output: the scale that max error compares with
     * @param tinyItems    items whose reference is all but zero (RMS below {@link #TINY_RMS}): their cosine is noise
     * @param sequence     for [items, positions, classes] outputs, else null
     * @param map          with a map threshold, else null
     */
    public record Result(String output, int items, double meanCosine, double p1Cosine, double p5Cosine,
                         double minCosine, double maxAbsError, double sqnrDb, Double top1Agreement, Double meanKl,
                         double referenceRms, int tinyItems, SequenceAgreement.Result sequence, MapAgreement.Result map) {
    }
}
