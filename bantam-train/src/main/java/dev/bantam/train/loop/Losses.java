package dev.bantam.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Loss functions on engine arrays; each returns a scalar averaged over the batch. */
public final class Losses {

    private Losses() {
    }

    /** Cross-entropy of logits [N, C] against integer labels [N]. */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        long classes = logits.getShape().get(logits.getShape().dimension() - 1);
        NDArray oneHot = labels.toType(DataType.INT64, false).oneHot((int) classes).toType(logits.getDataType(),
                false);
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
    }

    /**
     * Hinton's distillation loss: KL(softmax(teacher / T) || softmax(student / T)) · T², averaged over items;
     * {@code teacherProbabilities} are already softened (several teachers' mixtures included).
     */
    public static NDArray softKl(NDArray studentLogits, NDArray teacherProbabilities, double temperature) {
        NDArray logStudent = studentLogits.div((float) temperature).logSoftmax(-1);
        NDArray logTeacher = teacherProbabilities.add(1e-12f).log();
        int last = studentLogits.getShape().dimension() - 1;
        NDArray kl = teacherProbabilities.mul(logTeacher.sub(logStudent)).sum(new int[] {last}).mean();
        return kl.mul((float) (temperature * temperature));
    }

    /** One minus the cosine of {@code a} and {@code b} along their last axis, averaged over the other axes. */
    public static NDArray cosineDistance(NDArray a, NDArray b) {
        int last = a.getShape().dimension() - 1;
        NDArray dot = a.mul(b).sum(new int[] {last});
        NDArray na = a.square().sum(new int[] {last}).add(1e-12f).sqrt();
        NDArray nb = b.square().sum(new int[] {last}).add(1e-12f).sqrt();
        return dot.div(na.mul(nb)).neg().add(1f).mean();
    }

    /** Mean squared error over all elements. */
    public static NDArray mse(NDArray a, NDArray b) {
        return a.sub(b).square().mean();
    }

    /** Top-1 hits of logits [N, C] against labels [N], as a count. */
    public static long hits(NDArray logits, NDArray labels) {
        return logits.argMax(1).toType(DataType.INT64, false).eq(labels.toType(DataType.INT64, false))
                .toType(DataType.INT64, false).sum().getLong();
    }
}
