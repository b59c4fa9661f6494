package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.rewrite.RewriteRule;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Merges consecutive Transposes (composing their permutations; an identity result disappears) and
 * consecutive Reshapes (the second wins when its target copies no dimension of the first's output).
 */
public final class MergeTransposeReshape implements RewriteRule {

    @Override
    public String name() {
        return "merge-transpose-reshape";
    }

    @Override
    public Set<String> anchors() {
        return Set.of("Transpose", "Reshape");
    }

    @Override
    public String check(Node n, Model model) {
        Node inner = Patterns.producedBy(n.input(0), n.opType(), n);
        if (inner == null) {
            return "input is not a " + n.opType() + " used only here";
        }
        if (n.isStandard("Transpose")) {
            return perm(n).isPresent() && perm(inner).isPresent() ? null : "a Transpose without explicit perm";
        }
        if (model.opsetVersion("").orElse(0) < 5) {
            return "Reshape before opset 5";
        }
        Optional<Tensor> target = Rewiring.constant(n.input(1));
        if (target.isEmpty()) {
            return "the second Reshape's shape is not constant";
        }
        boolean allowZero = n.attribute("allowzero").map(a -> ((AttributeValue.IntValue) a.value()).value()).orElse(0L) == 1;
        return !allowZero && Arrays.stream(target.get().toLongArray()).anyMatch(d -> d == 0)
                ? "the second Reshape copies a dimension of the first's output" : null;
    }

    @Override
    public String rewrite(Node n, Model model) {
        Node inner = n.input(0).producer();
        if (n.isStandard("Reshape")) {
            n.replaceInput(0, inner.input(0));
            n.graph().remove(inner, true);
            return "two Reshapes became one at " + n.displayName();
        }
        long[] p1 = perm(inner).get();
        long[] p2 = perm(n).get();
        long[] composed = new long[p2.length];
        boolean identity = true;
        for (int i = 0; i < p2.length; i++) {
            composed[i] = p1[(int) p2[i]];
            identity &= composed[i] == i;
        }
        n.replaceInput(0, inner.input(0));
        n.graph().remove(inner, true);
        if (identity && Rewiring.bypass(n.output(0), n.input(0))) {
            n.graph().remove(n, true);
            return "two Transposes cancelled out";
        }
        n.setAttribute(Attribute.ofInts("perm", composed));
        return "two Transposes became one at " + n.displayName();
    }

    private static Optional<long[]> perm(Node t) {
        return t.attribute("perm").map(a -> ((AttributeValue.IntsValue) a.value()).value());
    }
}
