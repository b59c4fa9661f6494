package dev.bantam.runtime.metrics;

import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.DataException;
import java.util.ArrayList;
import java.util.List;

/**
 * Sentence embeddings: the attention-masked mean of token states [n, seq, dim], L2-normalized, as
 * Sentence-Transformers pools MiniLM and e5. Collected batch by batch.
 */
public final class Embeddings {

    private final List<float[]> rows = new ArrayList<>();

    public void add(Tensor hidden, Tensor attentionMask) {
        if (hidden.rank() != 3) {
            throw new DataException("output '" + hidden.name() + "': embedding needs token states [items, tokens, dim],"
                    + " got rank " + hidden.rank());
        }
        int n = (int) hidden.dim(0);
        int s = (int) hidden.dim(1);
        int d = (int) hidden.dim(2);
        if (attentionMask == null || attentionMask.rank() != 2 || attentionMask.dim(0) != n || attentionMask.dim(1) != s) {
            throw new DataException("embedding needs an attention_mask input of shape [" + n + "," + s + "]");
        }
        float[] h = hidden.toFloatArray();
        long[] m = attentionMask.toLongArray();
        for (int i = 0; i < n; i++) {
            float[] e = new float[d];
            int tokens = 0;
            for (int t = 0; t < s; t++) {
                if (m[i * s + t] != 0) {
                    tokens++;
                    for (int k = 0; k < d; k++) {
                        e[k] += h[(i * s + t) * d + k];
                    }
                }
            }
            double norm = 0;
            for (int k = 0; k < d; k++) {
                e[k] /= Math.max(1, tokens);
                norm += (double) e[k] * e[k];
            }
            float inv = (float) (1 / Math.max(1e-12, Math.sqrt(norm)));
            for (int k = 0; k < d; k++) {
                e[k] *= inv;
            }
            rows.add(e);
        }
    }

    public float[][] matrix() {
        return rows.toArray(float[][]::new);
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
