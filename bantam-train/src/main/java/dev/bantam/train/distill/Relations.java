package dev.bantam.train.distill;

import ai.djl.ndarray.NDArray;

/** Relation and attention losses between a student's and a teacher's batch of values (items along axis 0). */
final class Relations {

    private Relations() {
    }

    /** Pairwise Euclidean distances of the rows of [N, D], normalized by their mean off the diagonal. */
    private static NDArray distances(NDArray e) {
        NDArray sq = e.square().sum(new int[] {1}, true);
        NDArray d2 = sq.add(sq.transpose()).sub(e.matMul(e.transpose()).mul(2)).maximum(1e-12f);
        NDArray d = d2.sqrt();
        long n = e.getShape().get(0);
        float[] mask = new float[(int) (n * n)];
        java.util.Arrays.fill(mask, 1f);
        for (int i = 0; i < n; i++) {
            mask[(int) (i * n + i)] = 0f;
        }
        NDArray offDiagonal = d.mul(e.getManager().create(mask, new ai.djl.ndarray.types.Shape(n, n))
                .toType(d.getDataType(), false));
        NDArray mean = offDiagonal.sum().div(Math.max(1, n * (n - 1)));
        return offDiagonal.div(mean.add(1e-12f));
    }

    /** RKD distance: smooth-L1 between normalized pairwise distances. */
    static NDArray rkdDistance(NDArray student, NDArray teacher) {
        NDArray s = distances(flat(student));
        NDArray t = distances(flat(teacher)).stopGradient();
        return smoothL1(s, t);
    }

    /** RKD angle: smooth-L1 between cosines of the angles each item's pair of difference vectors makes. */
    static NDArray rkdAngle(NDArray student, NDArray teacher) {
        return smoothL1(angles(flat(student)), angles(flat(teacher)).stopGradient());
    }

    private static NDArray angles(NDArray e) {
        NDArray diff = e.expandDims(0).sub(e.expandDims(1));
        NDArray norm = diff.square().sum(new int[] {2}, true).add(1e-12f).sqrt();
        NDArray unit = diff.div(norm);
        return unit.matMul(unit.transpose(0, 2, 1)).flatten();
    }

    /** Similarity-preserving: MSE between row-normalized batch Gram matrices, as in Tung and Mori. */
    static NDArray similarity(NDArray student, NDArray teacher) {
        NDArray gs = gram(flat(student));
        NDArray gt = gram(flat(teacher)).stopGradient();
        long n = student.getShape().get(0);
        return gs.sub(gt).square().sum().div(n * n);
    }

    private static NDArray gram(NDArray e) {
        NDArray g = e.matMul(e.transpose());
        return g.div(g.square().sum(new int[] {1}, true).add(1e-12f).sqrt());
    }

    /** Attention transfer: the normalized map mean_c(f²) of [N, C, H, W], compared by MSE (sizes must match). */
    static NDArray attentionMap(NDArray student, NDArray teacher) {
        return map(student).sub(map(teacher).stopGradient()).square().mean();
    }

    private static NDArray map(NDArray f) {
        NDArray a = f.square().mean(new int[] {1}).reshape(f.getShape().get(0), -1);
        return a.div(a.square().sum(new int[] {1}, true).add(1e-12f).sqrt());
    }

    /** MSE of attention probabilities [N, H, S, S]; head counts that differ are compared as head means. */
    static NDArray attentionProbs(NDArray student, NDArray teacher) {
        if (student.getShape().get(1) != teacher.getShape().get(1)) {
            return student.mean(new int[] {1}).sub(teacher.mean(new int[] {1}).stopGradient()).square().mean();
        }
        return student.sub(teacher.stopGradient()).square().mean();
    }

    private static NDArray flat(NDArray x) {
        return x.reshape(x.getShape().get(0), -1);
    }

    private static NDArray smoothL1(NDArray a, NDArray b) {
        NDArray d = a.sub(b).abs();
        NDArray small = d.lt(1f).toType(d.getDataType(), false);
        return small.mul(d.square().mul(0.5f)).add(small.neg().add(1).mul(d.sub(0.5f))).mean();
    }
}
