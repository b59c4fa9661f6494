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

class FoldBatchNormTest {

    private static Model convBn(boolean secondConsumer, String producer) {
        Graph g = new Graph("g");
        Value x = producer.equals("Gemm") ? Graphs.input(g, "x", 2, 3) : Graphs.input(g, "x", 1, 3, 5, 5);
        Node p = producer.equals("Gemm")
                ? g.append(Node.of("Gemm", List.of(x, Graphs.weight(g, "w", 4, 3), Graphs.weight(g, "b", 4)),
                List.of("y"), Attribute.ofInt("transB", 1)))
                : g.append(Node.of("Conv", List.of(x, Graphs.weight(g, "w", 4, 3, 3, 3), Graphs.weight(g, "b", 4)),
                List.of("y")));
        Value var = g.addInitializer(Tensor.ofFloats("var", new float[] {0.5f, 1, 2, 4}, 4));
        Node bn = g.append(Node.of("BatchNormalization", List.of(p.output(0), Graphs.weight(g, "s", 4),
                Graphs.weight(g, "beta", 4), Graphs.weight(g, "mean", 4), var), List.of("z")));
        g.addOutput(bn.output(0));
        if (secondConsumer) {
            g.addOutput(g.append(Node.of("Relu", List.of(p.output(0)), List.of("r"))).output(0));
        }
        return Graphs.model(g, 17);
    }

    @Test
    void foldsIntoConvAndGemmKeepingOutputs() throws Exception {
        for (String producer : List.of("Conv", "Gemm")) {
            Model m = convBn(false, producer);
            Tensor x = producer.equals("Gemm") ? Graphs.randomInput("x", 2, 3) : Graphs.randomInput("x", 1, 3, 5, 5);
            var before = Graphs.run(m, Map.of("x", x));
            var r = new RewritePass("fold-batch-norm", List.of(new FoldBatchNorm())).run(m);
            assertTrue(r.changed(), r.notes().toString());
            assertEquals(0, Graphs.count(m, "BatchNormalization"));
            assertEquals("z", m.graph().outputs().getFirst().name(), "the graph output keeps its name");
            assertNull(OptimizeEquivalenceTest.compare(before, Graphs.run(m, Map.of("x", x)), false), producer);
        }
    }

    @Test
    void doesNotFoldWhenTheConvOutputHasASecondConsumer() {
        Model m = convBn(true, "Conv");
        Node bn = m.graph().nodes().stream().filter(n -> n.opType().equals("BatchNormalization")).findFirst().orElseThrow();
        assertEquals("the Conv output has other consumers", new FoldBatchNorm().check(bn, m));
        assertFalse(new RewritePass("fold-batch-norm", List.of(new FoldBatchNorm())).run(m).changed());
    }
}
