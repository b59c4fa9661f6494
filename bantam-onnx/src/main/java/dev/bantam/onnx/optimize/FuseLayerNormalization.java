package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.rewrite.RewriteRule;
import java.util.List;
import java.util.Set;

/**
 * Fuses the primitive form exporters emit for layer normalization over the last axis,
 * {@code (x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps) * gamma + beta}, into one LayerNormalization
 * (opset 17 or later). Every intermediate value must feed only the next step.
 */
public final class FuseLayerNormalization implements RewriteRule {

    /** The nodes of one match, final Add first. */
    private record Match(Value x, Value gamma, Value beta, float eps, List<Node> nodes) {
    }

    @Override
    public String name() {
        return "fuse-layer-normalization";
    }

    @Override
    public Set<String> anchors() {
        return Set.of("Add");
    }

    @Override
    public String check(Node add, Model model) {
        if (model.opsetVersion("").orElse(0) < 17) {
            return "LayerNormalization needs opset 17 (use --target-opset)";
        }
        return match(add) == null ? "not a layer normalization" : null;
    }

    private static Match match(Node add) {
        for (int side = 0; side < 2; side++) {
            Value beta = add.input(1 - side);
            Node mul = Patterns.producedBy(add.input(side), "Mul", add);
            if (mul == null || Rewiring.constant(beta).isEmpty()) {
                continue;
            }
            for (int ms = 0; ms < 2; ms++) {
                Value gamma = mul.input(1 - ms);
                Node div = Patterns.producedBy(mul.input(ms), "Div", mul);
                if (div == null || Rewiring.constant(gamma).isEmpty()) {
                    continue;
                }
                Match m = matchNormalize(div, gamma, beta, add, mul);
                if (m != null) {
                    return m;
                }
            }
        }
        return null;
    }

    private static Match matchNormalize(Node div, Value gamma, Value beta, Node add, Node mul) {
        Node sqrt = Patterns.producedBy(div.input(1), "Sqrt", div);
        Node addEps = sqrt == null ? null : Patterns.producedBy(sqrt.input(0), "Add", sqrt);
        if (addEps == null) {
            return null;
        }
        int varSide = Patterns.scalar(addEps.input(1)).isPresent() ? 0 : 1;
        var eps = Patterns.scalar(addEps.input(1 - varSide));
        Node var = Patterns.producedBy(addEps.input(varSide), "ReduceMean", addEps);
        if (eps.isEmpty() || var == null || !Patterns.reducesLastAxis(var)) {
            return null;
        }
        Value d = div.input(0);
        Node square = d == null ? null : Patterns.producedBy(var.input(0), "Pow", var);
        boolean isSquare = square != null && square.input(0) == d && Patterns.isScalar(square.input(1), 2, 0);
        if (!isSquare) {
            square = Patterns.producedBy(var.input(0), "Mul", var);
            isSquare = square != null && square.input(0) == d && square.input(1) == d;
        }
        Node sub = d.producer();
        if (!isSquare || sub == null || !sub.isStandard("Sub") || d.isGraphOutput() || d.uses().size() != (square.isStandard("Mul") ? 3 : 2)) {
            return null;
        }
        Value x = sub.input(0);
        Node mean = Patterns.producedBy(sub.input(1), "ReduceMean", sub);
        if (mean == null || mean.input(0) != x || !Patterns.reducesLastAxis(mean)) {
            return null;
        }
        return new Match(x, gamma, beta, eps.get(), List.of(add, mul, div, sqrt, addEps, var, square, sub, mean));
    }

    @Override
    public String rewrite(Node add, Model model) {
        Match m = match(add);
        Graph g = add.graph();
        Node ln = Node.of("LayerNormalization", List.of(m.x(), m.gamma(), m.beta()),
                List.of(Rewiring.freshName(g, add.output(0).name() + "_ln")), Attribute.ofInt("axis", -1),
                Attribute.ofFloat("epsilon", m.eps()));
        g.insertBefore(add, ln);
        ln.output(0).setType(add.output(0).type());
        if (!Rewiring.bypass(add.output(0), ln.output(0))) {
            g.remove(ln, false);
            return "kept " + add.displayName();
        }
        for (Node n : m.nodes()) {
            g.remove(n, true);
        }
        return "LayerNormalization replaces 9 nodes ending at " + add.displayName();
    }
}
