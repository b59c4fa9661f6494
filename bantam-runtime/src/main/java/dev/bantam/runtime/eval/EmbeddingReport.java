package dev.bantam.runtime.eval;

import dev.bantam.onnx.ProgressListener;
import dev.bantam.runtime.metrics.LinearProbe;
import dev.bantam.runtime.metrics.NeighbourAgreement;
import dev.bantam.runtime.metrics.Percentiles;
import java.util.Arrays;

/** Compares two models' sentence embeddings item by item, by neighbourhoods and by a linear probe. */
record EmbeddingReport(EmbeddingQuality reference, EmbeddingQuality candidate, double[] itemCosines) {

    static final int NEIGHBOURS = 10;

    /**
     * @param labels one per item, or null; {@code classes} names them
     */
    static EmbeddingReport of(float[][] ref, float[][] cand, int[] labels, int classes, double trainFraction,
                              ProgressListener progress) {
        int n = cand.length;
        int d = n == 0 ? 0 : cand[0].length;
        Double refProbe = null;
        Double candProbe = null;
        if (labels != null) {
            int train = (int) Math.round(n * trainFraction);
            progress.progress("training the linear probe", 0, 1);
            float[][] basis = ref != null ? ref : cand;
            LinearProbe probe = LinearProbe.train(Arrays.copyOf(basis, train), Arrays.copyOf(labels, train),
                    classes, 300, 2.0, 1e-4);
            int[] testLabels = Arrays.copyOfRange(labels, train, n);
            candProbe = probe.accuracy(Arrays.copyOfRange(cand, train, n), testLabels);
            if (ref != null) {
                refProbe = probe.accuracy(Arrays.copyOfRange(ref, train, n), testLabels);
            }
            progress.progress("training the linear probe", 1, 1);
        }
        if (ref == null) {
            return new EmbeddingReport(null, new EmbeddingQuality(n, d, null, null, null, null, candProbe), new double[0]);
        }
        double[] cos = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += (double) ref[i][k] * cand[i][k];
            }
            cos[i] = s;
        }
        double[] sorted = cos.clone();
        Arrays.sort(sorted);
        progress.progress("comparing neighbourhoods", 0, 1);
        double agreement = NeighbourAgreement.of(ref, cand, NEIGHBOURS);
        progress.progress("comparing neighbourhoods", 1, 1);
        return new EmbeddingReport(new EmbeddingQuality(n, d, null, null, null, null, refProbe),
                new EmbeddingQuality(n, d, Arrays.stream(cos).average().orElse(Double.NaN), Percentiles.of(sorted, 1),
                        sorted[0], agreement, candProbe), cos);
    }
}
