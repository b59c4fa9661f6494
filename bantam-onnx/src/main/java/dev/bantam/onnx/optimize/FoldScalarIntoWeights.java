package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.rewrite.RewriteRule;
import java.util.Optional;
import java.util.Set;

/**
 * Folds a multiplication or division by a scalar constant that follows a MatMul, Gemm or Conv with constant
 * float32 weights into those weights (and bias): {@code (x W + b) * c = x (W c) + b c}.
 */
public final class FoldScalarIntoWeights implements RewriteRule {

    @Override
    public String name() {
        return "fold-scalar-into-weights";
    }

    @Override
    public Set<String> anchors() {
        return Set.of("Mul", "Div");
    }

    @Override
    public String check(Node n, Model model) {
        int side = producerSide(n);
        if (side < 0) {
            return "no MatMul, Gemm or Conv input with a scalar factor";
        }
        Node p = n.input(side).producer();
        if (Rewiring.soleUser(n.input(side)) != n) {
            return "the " + p.opType() + " output has other consumers";
        }
        if (FoldBatchNorm.floats(p.input(1)).isEmpty() || (p.input(2) != null && FoldBatchNorm.floats(p.input(2)).isEmpty())) {
            return "the " + p.opType() + " weights are not float32 constants";
        }
        Optional<Float> c = Patterns.scalar(n.input(1 - side));
        if (c.isEmpty() || (n.isStandard("Div") && (c.get() == 0 || side != 0))) {
            return "not a division by a non-zero scalar";
        }
        return null;
    }

    private static int producerSide(Node n) {
        for (int i = 0; i < 2; i++) {
            Value v = n.input(i);
            Node p = v == null ? null : v.producer();
            if (p != null && (p.isStandard("MatMul") || p.isStandard("Gemm") || p.isStandard("Conv"))
                    && Patterns.scalar(n.input(1 - i)).isPresent()) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String rewrite(Node n, Model model) {
        int side = producerSide(n);
        Node p = n.input(side).producer();
        Graph g = p.graph();
        float c = Patterns.scalar(n.input(1 - side)).get();
        double factor = n.isStandard("Div") ? 1.0 / c : c;
        p.replaceInput(1, scaled(g, p.input(1), factor, n.isStandard("Div") ? c : Float.NaN));
        if (p.input(2) != null) {
            p.replaceInput(2, scaled(g, p.input(2), factor, n.isStandard("Div") ? c : Float.NaN));
        }
        if (!Rewiring.bypass(n.output(0), p.output(0))) {
            return "kept " + n.displayName();
        }
        g.remove(n, true);
        return n.opType() + " by " + c + " folded into " + p.displayName();
    }

    /** The weights times {@code factor}; for a division, each element divided by {@code divisor} exactly. */
    private static Value scaled(Graph g, Value w, double factor, float divisor) {
        Tensor t = w.constantValue().get();
        float[] v = t.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.isNaN(divisor) ? (float) (v[i] * factor) : v[i] / divisor;
        }
        return g.addInitializer(Tensor.ofFloats(Rewiring.freshName(g, w.name() + "_scaled"), v, t.dims()));
    }
}
