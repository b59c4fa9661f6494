package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.rewrite.RewriteRule;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code Add(MatMul(A, B), C)} becomes {@code Gemm(A, B, C)} where that is the same computation: A of known
 * rank 2, B a constant of rank 2, C a constant of shape [N] or [1, N], float32, and the MatMul output read
 * only by the Add.
 */
public final class MatMulAddToGemm implements RewriteRule {

    @Override
    public String name() {
        return "matmul-add-to-gemm";
    }

    @Override
    public Set<String> anchors() {
        return Set.of("Add");
    }

    @Override
    public String check(Node add, Model model) {
        if (model.opsetVersion("").orElse(0) < 7) {
            return "Gemm broadcasts its bias only from opset 7";
        }
        int mmSide = matMulSide(add);
        if (mmSide < 0) {
            return "no MatMul input";
        }
        Node mm = add.input(mmSide).producer();
        if (Rewiring.soleUser(add.input(mmSide)) != add) {
            return "the MatMul output has other consumers";
        }
        if (!(mm.input(0).type() instanceof ValueType.TensorType t) || t.shape() == null || t.shape().rank() != 2) {
            return "the MatMul's first input is not known to be rank 2";
        }
        Optional<Tensor> b = FoldBatchNorm.floats(mm.input(1));
        if (b.isEmpty() || b.get().rank() != 2) {
            return "the MatMul's weight is not a rank-2 float32 constant";
        }
        Optional<Tensor> c = FoldBatchNorm.floats(add.input(1 - mmSide));
        if (c.isEmpty()) {
            return "the addend is not a float32 constant";
        }
        long n = b.get().dim(1);
        long[] cd = c.get().dims();
        boolean ok = (cd.length == 1 && cd[0] == n) || (cd.length == 2 && cd[0] == 1 && cd[1] == n);
        return ok ? null : "the addend's shape does not broadcast as a Gemm bias";
    }

    private static int matMulSide(Node add) {
        for (int i = 0; i < 2; i++) {
            Value v = add.input(i);
            if (v != null && v.producer() != null && v.producer().isStandard("MatMul")) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String rewrite(Node add, Model model) {
        int side = matMulSide(add);
        Node mm = add.input(side).producer();
        Graph g = add.graph();
        Node gemm = Node.of("Gemm", List.of(mm.input(0), mm.input(1), add.input(1 - side)),
                List.of(Rewiring.freshName(g, add.output(0).name() + "_gemm")));
        g.insertBefore(add, gemm);
        gemm.output(0).setType(add.output(0).type());
        if (!Rewiring.bypass(add.output(0), gemm.output(0))) {
            g.remove(gemm, false);
            return "kept " + add.displayName();
        }
        g.remove(add, true);
        g.remove(mm, true);
        return mm.displayName() + " + " + add.displayName() + " -> Gemm";
    }
}
