package dev.bantam.runtime.metrics;

import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.DataException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Top-1 and top-5 accuracy of logits [n, classes] against labels, with precision, recall and F1 per class and
 * macro-averaged, accumulated batch by batch. The prediction is the first highest logit.
 */
public final class Accuracy {

    private long items;
    private long top1;
    private long top5;
    private long[] hits = new long[0];
    private long[] support = new long[0];
    private long[] predicted = new long[0];

    public void add(Tensor logits, int[] labels) {
        if (logits.rank() != 2) {
            throw new DataException("output '" + logits.name() + "': classification needs [items, classes], got rank "
                    + logits.rank());
        }
        int n = (int) logits.dim(0);
        int c = (int) logits.dim(1);
        if (labels.length != n) {
            throw new DataException("labels: " + labels.length + " labels for " + n + " outputs");
        }
        grow(c);
        float[] v = logits.toFloatArray();
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= c) {
                throw new DataException("labels: label " + labels[i] + " is outside the model's " + c + " classes");
            }
            float target = v[i * c + labels[i]];
            int higher = 0;
            int best = 0;
            for (int j = 0; j < c; j++) {
                float x = v[i * c + j];
                if (x > target || (x == target && j < labels[i])) {
                    higher++;
                }
                if (x > v[i * c + best]) {
                    best = j;
                }
            }
            top1 += higher == 0 ? 1 : 0;
            top5 += higher < 5 ? 1 : 0;
            support[labels[i]]++;
            predicted[best]++;
            hits[labels[i]] += best == labels[i] ? 1 : 0;
        }
        items += n;
    }

    private void grow(int classes) {
        if (classes > support.length) {
            hits = Arrays.copyOf(hits, classes);
            support = Arrays.copyOf(support, classes);
            predicted = Arrays.copyOf(predicted, classes);
        }
    }

    public Result result() {
        return result(List.of());
    }

    /**
     * @param names the classes' names by label, where the data has them (else labels are named by number)
     */
    public Result result(List<String> names) {
        List<ClassResult> perClass = new ArrayList<>();
        double p = 0;
        double r = 0;
        double f = 0;
        for (int c = 0; c < support.length; c++) {
            if (support[c] == 0 && predicted[c] == 0) {
                continue;
            }
            double precision = predicted[c] == 0 ? 0 : (double) hits[c] / predicted[c];
            double recall = support[c] == 0 ? 0 : (double) hits[c] / support[c];
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.add(new ClassResult(c < names.size() ? names.get(c) : Integer.toString(c), c, support[c],
                    predicted[c], precision, recall, f1));
            p += precision;
            r += recall;
            f += f1;
        }
        int k = Math.max(1, perClass.size());
        return new Result(items, items == 0 ? 0 : (double) top1 / items, items == 0 ? 0 : (double) top5 / items,
                p / k, r / k, f / k, perClass);
    }

    /**
     * @param macroPrecision the mean over the classes that occur as a label or a prediction (as scikit-learn's
     *                       macro average, a class never predicted counting 0)
     * @param perClass       those classes in label order
     */
    public record Result(long items, double top1, double top5, double macroPrecision, double macroRecall,
                         double macroF1, List<ClassResult> perClass) {

        public Result {
            perClass = List.copyOf(perClass);
        }
    }

    /** One class: its items ({@code support}), how often it was predicted, and the three rates. */
    public record ClassResult(String name, int label, long support, long predicted, double precision, double recall,
                              double f1) {
    }
}
