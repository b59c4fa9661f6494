package dev.bantam.onnx.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.rewrite.RewritePass;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LayerNormalization and Gelu fusion on graphs built in code, where they must fire and where they must not. */
class FusionRulesTest {

    private static Value scalar(Graph g, String name, float v) {
        return g.addInitializer(Tensor.ofFloats(name, new float[] {v}));
    }

    /** The primitive layer norm; with {@code leak}, the centered value is also a graph output. */
    private static Model layerNorm(boolean leak) {
        Graph g = new Graph("g");
        Value x = Graphs.input(g, "x", 2, 4);
        Node mean = g.append(Node.of("ReduceMean", List.of(x), List.of("mean"), Attribute.ofInts("axes", -1)));
        Node sub = g.append(Node.of("Sub", List.of(x, mean.output(0)), List.of("d")));
        Node pow = g.append(Node.of("Pow", List.of(sub.output(0), scalar(g, "two", 2)), List.of("sq")));
        Node var = g.append(Node.of("ReduceMean", List.of(pow.output(0)), List.of("var"), Attribute.ofInts("axes", -1)));
        Node eps = g.append(Node.of("Add", List.of(var.output(0), scalar(g, "eps", 1e-5f)), List.of("ve")));
        Node sqrt = g.append(Node.of("Sqrt", List.of(eps.output(0)), List.of("s")));
        Node div = g.append(Node.of("Div", List.of(sub.output(0), sqrt.output(0)), List.of("n")));
        Node mul = g.append(Node.of("Mul", List.of(div.output(0), Graphs.weight(g, "gamma", 4)), List.of("m")));
        Node add = g.append(Node.of("Add", List.of(mul.output(0), Graphs.weight(g, "beta", 4)), List.of("y")));
        g.addOutput(add.output(0));
        if (leak) {
            g.addOutput(sub.output(0));
        }
        return Graphs.model(g, 17);
    }

    @Test
    void layerNormFusesAndKeepsOutputs() throws Exception {
        Model m = layerNorm(false);
        Tensor x = Graphs.randomInput("x", 2, 4);
        var before = Graphs.run(m, Map.of("x", x));
        assertTrue(new RewritePass("ln", List.of(new FuseLayerNormalization())).run(m).changed());
        assertEquals(List.of("LayerNormalization"), m.graph().nodes().stream().map(Node::opType).toList());
        assertNull(OptimizeEquivalenceTest.compare(before, Graphs.run(m, Map.of("x", x)), false));
    }

    @Test
    void layerNormDoesNotFuseWhenAnIntermediateIsUsedElsewhere() {
        Model m = layerNorm(true);
        assertFalse(new RewritePass("ln", List.of(new FuseLayerNormalization())).run(m).changed());
    }

    @Test
    void layerNormNeedsOpset17() {
        Model m = layerNorm(false);
        m.opsetImports().set(0, new dev.bantam.onnx.ir.OpsetId("", 16));
        Node add = m.graph().nodes().getLast();
        assertEquals("LayerNormalization needs opset 17 (use --target-opset)", new FuseLayerNormalization().check(add, m));
    }

    private static Model gelu(float halfConstant) {
        Graph g = new Graph("g");
        Value x = Graphs.input(g, "x", 2, 3);
        Node div = g.append(Node.of("Div", List.of(x, scalar(g, "r2", (float) Math.sqrt(2))), List.of("a")));
        Node erf = g.append(Node.of("Erf", List.of(div.output(0)), List.of("e")));
        Node add = g.append(Node.of("Add", List.of(erf.output(0), scalar(g, "one", 1)), List.of("c")));
        Node mul = g.append(Node.of("Mul", List.of(x, add.output(0)), List.of("d")));
        Node half = g.append(Node.of("Mul", List.of(mul.output(0), scalar(g, "half", halfConstant)), List.of("y")));
        g.addOutput(half.output(0));
        return Graphs.model(g, 20);
    }

    @Test
    void geluFusesAndKeepsOutputs() throws Exception {
        Model m = gelu(0.5f);
        Tensor x = Graphs.randomInput("x", 2, 3);
        var before = Graphs.run(m, Map.of("x", x));
        assertTrue(new RewritePass("gelu", List.of(new FuseGelu())).run(m).changed());
        assertEquals(List.of("Gelu"), m.graph().nodes().stream().map(Node::opType).toList());
        assertNull(OptimizeEquivalenceTest.compare(before, Graphs.run(m, Map.of("x", x)), false));
    }

    @Test
    void geluDoesNotFuseAnotherFunction() {
        assertFalse(new RewritePass("gelu", List.of(new FuseGelu())).run(gelu(0.6f)).changed());
    }
}
