package dev.bantam.onnx.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.rewrite.RewritePass;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatMulAddToGemmTest {

    private static Model matmulAdd(long... xDims) {
        Graph g = new Graph("g");
        Value x = Graphs.input(g, "x", xDims);
        Node mm = g.append(Node.of("MatMul", List.of(x, Graphs.weight(g, "w", 3, 4)), List.of("h")));
        Node add = g.append(Node.of("Add", List.of(mm.output(0), Graphs.weight(g, "b", 4)), List.of("y")));
        g.addOutput(add.output(0));
        return Graphs.model(g, 17);
    }

    @Test
    void rankTwoBecomesGemm() throws Exception {
        Model m = matmulAdd(2, 3);
        var x = Graphs.randomInput("x", 2, 3);
        var before = Graphs.run(m, Map.of("x", x));
        assertTrue(new RewritePass("g", List.of(new MatMulAddToGemm())).run(m).changed());
        assertEquals(1, Graphs.count(m, "Gemm"));
        assertEquals(0, Graphs.count(m, "MatMul") + Graphs.count(m, "Add"));
        assertNull(OptimizeEquivalenceTest.compare(before, Graphs.run(m, Map.of("x", x)), false));
    }

    @Test
    void rankThreeStaysMatMul() {
        Model m = matmulAdd(2, 5, 3);
        Node add = m.graph().nodes().getLast();
        assertEquals("the MatMul's first input is not known to be rank 2", new MatMulAddToGemm().check(add, m));
        assertFalse(new RewritePass("g", List.of(new MatMulAddToGemm())).run(m).changed());
    }
}
