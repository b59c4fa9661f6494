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

    /** Issue 11: a weight unsqueezed by two readers (both branches of an If) was stored three times after folding. */
    @Test
    void foldingNeverAddsToTheStoredWeights() {
        Graph g = new Graph("g");
        Value shared = g.addInitializer(Tensor.ofFloats("shared", new float[64 * 32], 64, 32));
        Value own = g.addInitializer(Tensor.ofFloats("own", new float[64 * 32], 64, 32));
        Value axes = g.addInitializer(Tensor.ofLongs("axes", new long[] {0}, 1));
        for (String out : List.of("a", "b")) {
            g.addOutput(g.append(Node.of("Unsqueeze", List.of(shared, axes), List.of(out))).output(0));
        }
        g.addOutput(g.append(Node.of("Unsqueeze", List.of(own, axes), List.of("c"))).output(0));
        Model m = Graphs.model(g, 17);
        long before = m.graph().initializers().stream().mapToLong(v -> v.initializer().storedByteSize()).sum();
        PassResult r = new ConstantFolding().run(m);
        new DeadCodeElimination().run(m);
        long after = m.graph().initializers().stream().mapToLong(v -> v.initializer().storedByteSize()).sum();
        assertEquals(2, Graphs.count(m, "Unsqueeze"), "the shared weight stays unfolded: " + r.notes());
        assertTrue(after <= before, after + " > " + before);
        assertArrayEquals(new long[] {1, 64, 32}, m.graph().outputs().get(2).constantValue().orElseThrow().dims(),
                "a weight only one node reads folds");
        assertTrue(r.notes().contains("left 2 Unsqueeze (its result would add to the stored weights) unfolded: "
                + "computed at run time as before"), r.notes().toString());
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

    /** Issue 10: huge results are refused from their inputs, before anything is allocated (they ran out of memory). */
    @Test
    void hugeResultsAreRefusedBeforeAllocation() {
        Graph g = new Graph("g");
        Value huge = g.addInitializer(Tensor.ofLongs("huge", new long[] {1L << 40, 1L << 30}, 2));
        Value negative = g.addInitializer(Tensor.ofLongs("neg", new long[] {-3}, 1));
        Value one = g.addInitializer(Tensor.ofFloats("one", new float[] {1f}, 1));
        Value zero = g.addInitializer(Tensor.ofLongs("zero", new long[] {0}));
        Value far = g.addInitializer(Tensor.ofLongs("far", new long[] {Long.MAX_VALUE}));
        Value step = g.addInitializer(Tensor.ofLongs("step", new long[] {1}));
        Value idx = g.addInitializer(Tensor.ofLongs("idx", new long[60_000], 60_000));
        Value rows = g.addInitializer(Tensor.ofFloats("rows", new float[60_000], 60_000, 1));
        g.addOutput(g.append(Node.of("ConstantOfShape", List.of(huge), List.of("a"))).output(0));
        g.addOutput(g.append(Node.of("ConstantOfShape", List.of(negative), List.of("b"))).output(0));
        g.addOutput(g.append(Node.of("Expand", List.of(one, huge), List.of("c"))).output(0));
        g.addOutput(g.append(Node.of("Range", List.of(zero, far, step), List.of("d"))).output(0));
        g.addOutput(g.append(Node.of("Add", List.of(rows, g.addInitializer(Tensor.ofFloats("cols", new float[60_000], 1, 60_000))),
                List.of("e"))).output(0));
        Value wide = g.addInitializer(Tensor.ofFloats("wide", new float[80_000], 2, 40_000));
        g.addOutput(g.append(Node.of("Gather", List.of(wide, idx), List.of("f"))).output(0));
        Model m = Graphs.model(g, 17);
        long t0 = System.nanoTime();
        PassResult r = new ConstantFolding().run(m);
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "refused without computing");
        assertEquals(6, m.graph().nodes().size(), r.notes().toString());
        assertTrue(r.notes().stream().filter(n -> n.contains("too large")).count() == 5, r.notes().toString());
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
        Pass buggy = new Pass() {
            public String name() {
                return "buggy";
            }

            public PassResult run(Model model) {
                return PassResult.of(List.of(List.of("a").get(5)));
            }
        };
        var bug = assertThrows(PassFailedException.class, () -> PassManager.once(List.of(buggy)).run(m));
        assertEquals("pass 'buggy' failed on this model with an internal error (a bug in Bantam; please report it with "
                + "the model)", bug.getMessage(), "no raw index text (issue 10)");
    }
}
