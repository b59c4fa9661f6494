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

class MergeAndScaleTest {

    private static RewritePass merge() {
        return new RewritePass("m", List.of(new MergeTransposeReshape()));
    }

    @Test
    void transposesCompose() throws Exception {
        Graph g = new Graph("g");
        Value x = Graphs.input(g, "x", 2, 3, 4);
        Node t1 = g.append(Node.of("Transpose", List.of(x), List.of("t1"), Attribute.ofInts("perm", 1, 2, 0)));
        Node t2 = g.append(Node.of("Transpose", List.of(t1.output(0)), List.of("y"), Attribute.ofInts("perm", 0, 2, 1)));
        g.addOutput(t2.output(0));
        Model m = Graphs.model(g, 17);
        Tensor in = Graphs.randomInput("x", 2, 3, 4);
        var before = Graphs.run(m, Map.of("x", in));
        assertTrue(merge().run(m).changed());
        assertEquals(1, Graphs.count(m, "Transpose"));
        assertNull(OptimizeEquivalenceTest.compare(before, Graphs.run(m, Map.of("x", in)), true));
    }

    @Test
    void inverseTransposesVanish() {
        Graph g = new Graph("g");
        Value x = Graphs.input(g, "x", 2, 3);
        Node t1 = g.append(Node.of("Transpose", List.of(x), List.of("t1"), Attribute.ofInts("perm", 1, 0)));
        Node t2 = g.append(Node.of("Transpose", List.of(t1.output(0)), List.of("t2"), Attribute.ofInts("perm", 1, 0)));
        g.addOutput(g.append(Node.of("Relu", List.of(t2.output(0)), List.of("y"))).output(0));
        Model m = Graphs.model(g, 17);
        assertTrue(merge().run(m).changed());
        assertEquals(List.of("Relu"), m.graph().nodes().stream().map(Node::opType).toList());
    }

    @Test
    void reshapesMergeUnlessTheSecondCopiesADimension() {
        for (long[] target : List.of(new long[] {6, -1}, new long[] {0, 4})) {
            Graph g = new Graph("g");
            Value x = Graphs.input(g, "x", 2, 3, 4);
            Node r1 = g.append(Node.of("Reshape", List.of(x, g.addInitializer(Tensor.ofLongs("s1", new long[] {24}, 1))),
                    List.of("r1")));
            Node r2 = g.append(Node.of("Reshape", List.of(r1.output(0), g.addInitializer(Tensor.ofLongs("s2", target, 2))),
                    List.of("y")));
            g.addOutput(r2.output(0));
            boolean merged = merge().run(Graphs.model(g, 17)).changed();
            assertEquals(target[0] != 0, merged);
        }
    }

    @Test
    void scalarDivisionMovesIntoTheWeights() throws Exception {
        Graph g = new Graph("g");
        Value x = Graphs.input(g, "x", 2, 3);
        Node mm = g.append(Node.of("MatMul", List.of(x, Graphs.weight(g, "w", 3, 4)), List.of("h")));
        Node div = g.append(Node.of("Div", List.of(mm.output(0), g.addInitializer(Tensor.ofFloats("c", new float[] {8f}))),
                List.of("y")));
        g.addOutput(div.output(0));
        Model m = Graphs.model(g, 17);
        Tensor in = Graphs.randomInput("x", 2, 3);
        var before = Graphs.run(m, Map.of("x", in));
        assertTrue(new RewritePass("s", List.of(new FoldScalarIntoWeights())).run(m).changed());
        assertEquals(List.of("MatMul"), m.graph().nodes().stream().map(Node::opType).toList());
        assertEquals("y", m.graph().outputs().getFirst().name());
        assertNull(OptimizeEquivalenceTest.compare(before, Graphs.run(m, Map.of("x", in)), false));
    }

    @Test
    void scalarDividedByTheProductStays() {
        Graph g = new Graph("g");
        Value x = Graphs.input(g, "x", 2, 3);
        Node mm = g.append(Node.of("MatMul", List.of(x, Graphs.weight(g, "w", 3, 4)), List.of("h")));
        Node div = g.append(Node.of("Div", List.of(g.addInitializer(Tensor.ofFloats("c", new float[] {8f})), mm.output(0)),
                List.of("y")));
        g.addOutput(div.output(0));
        assertFalse(new RewritePass("s", List.of(new FoldScalarIntoWeights())).run(Graphs.model(g, 17)).changed());
    }
}
