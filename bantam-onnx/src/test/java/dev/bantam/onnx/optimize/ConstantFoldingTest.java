package dev.bantam.onnx.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.pass.Pass;
import dev.bantam.onnx.pass.PassFailedException;
import dev.bantam.onnx.pass.PassManager;
import dev.bantam.onnx.pass.PassResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConstantFoldingTest {

    /** x[2,3] reshaped to [shape[0], shape[1] * 1]: a shape computation that folds when x's shape is static. */
    @Test
    void shapeArithmeticFoldsToAConstant() throws Exception {
        Graph g = new Graph("g");
        Value x = Graphs.input(g, "x", 2, 3);
        Node shape = g.append(Node.of("Shape", List.of(x), List.of("s")));
        Value i0 = g.addInitializer(Tensor.ofLongs("i0", new long[] {0}, 1));
        Value i1 = g.addInitializer(Tensor.ofLongs("i1", new long[] {1}, 1));
        Node d0 = g.append(Node.of("Gather", List.of(shape.output(0), i0), List.of("d0")));
        Node d1 = g.append(Node.of("Gather", List.of(shape.output(0), i1), List.of("d1")));
        Node mul = g.append(Node.of("Mul", List.of(d1.output(0), i1), List.of("d1x")));
        Node cat = g.append(Node.of("Concat", List.of(d0.output(0), mul.output(0)), List.of("target"),
                Attribute.ofInt("axis", 0)));
        Node reshape = g.append(Node.of("Reshape", List.of(x, cat.output(0)), List.of("y")));
        g.addOutput(reshape.output(0));
        Model m = Graphs.model(g, 17);
        Tensor in = Graphs.randomInput("x", 2, 3);
        var before = Graphs.run(m, Map.of("x", in));
        Optimizer.optimize(m, Optimizer.pipeline(Optimizer.Level.BASIC));
        assertEquals(List.of("Reshape"), m.graph().nodes().stream().map(Node::opType).toList());
        assertArrayEquals(new long[] {2, 3}, reshape.input(1).constantValue().orElseThrow().toLongArray());
        assertNull(OptimizeEquivalenceTest.compare(before, Graphs.run(m, Map.of("x", in)), true));
    }

    @Test
    void largeResultsAreLeftToRunTime() {
        Graph g = new Graph("g");
        Value shape = g.addInitializer(Tensor.ofLongs("shape", new long[] {1024, 1024}, 2));
        Node big = g.append(Node.of("ConstantOfShape", List.of(shape), List.of("zeros")));
        g.addOutput(big.output(0));
        Model m = Graphs.model(g, 17);
        PassResult r = new ConstantFolding().run(m);
        assertEquals(1, Graphs.count(m, "ConstantOfShape"));
        assertTrue(r.notes().getFirst().contains("too large"), r.notes().toString());
    }

    @Test
    void theManagerNamesAFailingPass() {
        Pass broken = new Pass() {
            public String name() {
                return "broken";
            }

            public PassResult run(Model model) {
                throw new IllegalStateException("oops");
            }
        };
        Model m = Graphs.model(new Graph("g"), 17);
        var e = assertThrows(PassFailedException.class, () -> PassManager.once(List.of(broken)).run(m));
        assertEquals("pass 'broken' failed: oops", e.getMessage());
    }
}
