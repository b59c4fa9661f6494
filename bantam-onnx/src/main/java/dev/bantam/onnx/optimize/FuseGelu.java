package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.rewrite.RewriteRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Fuses the exact (erf) GELU, {@code x * 0.5 * (1 + erf(x / sqrt(2)))} in any association of its
 * multiplications and with {@code x * (1/sqrt(2))} for the division, into one Gelu (opset 20 or later).
 */
public final class FuseGelu implements RewriteRule {

    private static final double SQRT2 = Math.sqrt(2);

    private record Match(Value x, List<Node> nodes) {
    }

    @Override
    public String name() {
        return "fuse-gelu";
    }

    @Override
    public Set<String> anchors() {
        return Set.of("Mul");
    }

    @Override
    public String check(Node mul, Model model) {
        if (model.opsetVersion("").orElse(0) < 20) {
            return "Gelu needs opset 20 (use --target-opset)";
        }
        return match(mul) == null ? "not a GELU" : null;
    }

    /** Flattens the product tree at {@code root} (through single-use Muls) and checks its factors. */
    private static Match match(Node root) {
        List<Value> factors = new ArrayList<>();
        List<Node> muls = new ArrayList<>();
        collect(root, factors, muls);
        if (factors.size() != 3) {
            return null;
        }
        Value half = null;
        Value onePlusErf = null;
        Value x = null;
        for (Value f : factors) {
            if (Patterns.isScalar(f, 0.5, 1e-6)) {
                half = f;
            } else if (f.producer() != null && f.producer().isStandard("Add") && Rewiring.soleUser(f) != null) {
                onePlusErf = f;
            } else {
                x = f;
            }
        }
        if (half == null || onePlusErf == null || x == null) {
            return null;
        }
        Node add = onePlusErf.producer();
        for (int side = 0; side < 2; side++) {
            Node erf = Patterns.producedBy(add.input(side), "Erf", add);
            if (erf == null || !Patterns.isScalar(add.input(1 - side), 1, 1e-6)) {
                continue;
            }
            Node scale = erf.input(0).producer();
            if (scale == null || Rewiring.soleUser(erf.input(0)) != erf || scale.input(0) != x) {
                continue;
            }
            boolean ok = scale.isStandard("Div") && Patterns.isScalar(scale.input(1), SQRT2, 1e-4)
                    || scale.isStandard("Mul") && Patterns.isScalar(scale.input(1), 1 / SQRT2, 1e-4);
            if (ok) {
                List<Node> nodes = new ArrayList<>(muls);
                nodes.add(add);
                nodes.add(erf);
                nodes.add(scale);
                return new Match(x, nodes);
            }
        }
        return null;
    }

    private static void collect(Node mul, List<Value> factors, List<Node> muls) {
        muls.add(mul);
        for (Value in : mul.inputs()) {
            Node p = in == null ? null : in.producer();
            if (p != null && p.isStandard("Mul") && Rewiring.soleUser(in) == mul && muls.size() < 2) {
                collect(p, factors, muls);
            } else {
                factors.add(in);
            }
        }
    }

    @Override
    public String rewrite(Node mul, Model model) {
        Match m = match(mul);
        Graph g = mul.graph();
        Node gelu = Node.of("Gelu", List.of(m.x()), List.of(Rewiring.freshName(g, mul.output(0).name() + "_gelu")));
        g.insertBefore(mul, gelu);
        gelu.output(0).setType(mul.output(0).type());
        if (!Rewiring.bypass(mul.output(0), gelu.output(0))) {
            g.remove(gelu, false);
            return "kept " + mul.displayName();
        }
        for (Node n : m.nodes()) {
            g.remove(n, true);
        }
        return "Gelu replaces " + m.nodes().size() + " nodes ending at " + mul.displayName();
    }
}
