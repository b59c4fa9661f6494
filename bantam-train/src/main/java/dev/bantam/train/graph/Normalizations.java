package dev.bantam.train.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Batch, layer and instance normalization. BatchNormalization in training mode normalizes by the batch's
 * statistics and moves the running mean and variance (inputs 3 and 4, kept out of the gradient) toward them.
 */
final class Normalizations {

    private Normalizations() {
    }

    static List<NDArray> batchNorm(Kernel.Call c) {
        NDArray x = c.x();
        int rank = x.getShape().dimension();
        float eps = c.floatAttr("epsilon", 1e-5f);
        NDArray mean = c.in(3);
        NDArray var = c.in(4);
        if (c.training()) {
            long channels = x.getShape().get(1);
            NDArray perChannel = x.swapAxes(0, 1).reshape(channels, -1);
            NDArray batchMean = perChannel.mean(new int[] {1});
            NDArray centered = perChannel.sub(batchMean.expandDims(1));
            NDArray batchVar = centered.square().mean(new int[] {1});
            float momentum = c.floatAttr("momentum", 0.9f);
            long n = perChannel.getShape().get(1);
            NDArray unbiased = batchVar.stopGradient().mul(n / (float) Math.max(1, n - 1));
            mean.muli(momentum).addi(batchMean.stopGradient().mul(1 - momentum));
            var.muli(momentum).addi(unbiased.mul(1 - momentum));
            mean = batchMean;
            var = batchVar;
        }
        Shape perChannel = channelShape(rank, x.getShape().get(1));
        NDArray inv = var.add(eps).sqrt().reshape(perChannel);
        NDArray y = x.sub(mean.reshape(perChannel)).div(inv);
        return List.of(y.mul(c.in(1).reshape(perChannel)).add(c.in(2).reshape(perChannel)));
    }

    static List<NDArray> layerNorm(Kernel.Call c) {
        NDArray x = c.x();
        int rank = x.getShape().dimension();
        int axis = Attrs.axis(c.intAttr("axis", -1), rank);
        float eps = c.floatAttr("epsilon", 1e-5f);
        if (c.node().outputs().size() > 1) {
            throw c.unsupported("the Mean and InvStdDev outputs");
        }
        NDArray y = normalize(x, axis, eps);
        y = y.mul(c.in(1));
        return List.of(c.in(2) == null ? y : y.add(c.in(2)));
    }

    static List<NDArray> instanceNorm(Kernel.Call c) {
        NDArray x = c.x();
        Shape s = x.getShape();
        NDArray y = normalize(x.reshape(s.get(0), s.get(1), -1), 2, c.floatAttr("epsilon", 1e-5f)).reshape(s);
        Shape perChannel = channelShape(s.dimension(), s.get(1));
        return List.of(y.mul(c.in(1).reshape(perChannel)).add(c.in(2).reshape(perChannel)));
    }

    /** (x - mean) / sqrt(var + eps) over the axes from {@code axis} to the last, by flattening them. */
    private static NDArray normalize(NDArray x, int axis, float eps) {
        Shape s = x.getShape();
        NDArray flat = x.reshape(s.slice(0, axis).add(-1));
        int last = s.slice(0, axis).dimension();
        NDArray mean = flat.mean(new int[] {last}, true);
        NDArray centered = flat.sub(mean);
        NDArray var = centered.square().mean(new int[] {last}, true);
        return centered.div(var.add(eps).sqrt()).reshape(s);
    }

    private static Shape channelShape(int rank, long channels) {
        long[] d = new long[rank];
        java.util.Arrays.fill(d, 1);
        d[1] = channels;
        return new Shape(d);
    }
}
