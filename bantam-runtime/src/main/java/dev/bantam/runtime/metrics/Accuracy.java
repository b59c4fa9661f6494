package dev.bantam.runtime.metrics;

import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.DataException;

/** Top-1 and top-5 accuracy of logits [n, classes] against labels, accumulated batch by batch. */
public final class Accuracy {

    private long items;
    private long top1;
    private long top5;

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
        float[] v = logits.toFloatArray();
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= c) {
                throw new DataException("labels: label " + labels[i] + " is outside the model's " + c + " classes");
            }
            float target = v[i * c + labels[i]];
            int higher = 0;
            for (int j = 0; j < c; j++) {
                float x = v[i * c + j];
                if (x > target || (x == target && j < labels[i])) {
                    higher++;
                }
            }
            top1 += higher == 0 ? 1 : 0;
            top5 += higher < 5 ? 1 : 0;
        }
        items += n;
    }

    public Result result() {
        return new Result(items, items == 0 ? 0 : (double) top1 / items, items == 0 ? 0 : (double) top5 / items);
    }

    public record Result(long items, double top1, double top5) {
    }
}
