package dev.bantam.onnx.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Constant promotion, no-op elimination, dead code, deduplication and CSE, where they must and must not fire. */
class CleanupPassesTest {

    @Test
    void constantNodeBecomesAnInitializer() {
        Graph g = new Graph("g");
        Value x = Graphs.input(g, "x", 2);
        Node c = g.append(Node.of("Constant", List.of(), List.of("k"),
                Attribute.ofTensor("value", Tensor.ofFloats("", new float[] {1, 2}, 2))));
        Node add = g.append(Node.of("Add", List.of(x, c.output(0)), List.of("y")));
        g.addOutput(add.output(0));
        Model m = Graphs.model(g, 17);
        assertTrue(new ConstantToInitializer().run(m).changed());
        assertEquals(0, Graphs.count(m, "Constant"));
        assertSame(g.initializer("k"), add.input(1));
    }

    @Test
    void identityAndDropoutGoButNotWhenTheyAreNeeded() {
        Graph g = new Graph("g");
        Value x = Graphs.input(g, "x", 2);
        Node relu = g.append(Node.of("Relu", List.of(x), List.of("r")));
        Node id = g.append(Node.of("Identity", List.of(relu.output(0)), List.of("i")));
        Node drop = g.append(Node.of("Dropout", List.of(id.output(0)), List.of("d", "mask")));
        Node passThrough = g.append(Node.of("Identity", List.of(x), List.of("x_copy")));
        g.addOutput(drop.output(0));
        g.addOutput(drop.output(1));
        g.addOutput(passThrough.output(0));
        Model m = Graphs.model(g, 17);
        new EliminateNoOps().run(m);
        assertEquals(0, g.nodes().stream().filter(n -> n == id).count(), "Identity removed");
        assertTrue(g.nodes().contains(drop), "Dropout whose mask is an output stays");
        assertTrue(g.nodes().contains(passThrough), "an input passed to an output keeps its Identity");
    }

    @Test
    void castToTheSameTypeGoesOtherCastsStay() {
        Graph g = new Graph("g");
        Value x = Graphs.input(g, "x", 2);
        Node same = g.append(Node.of("Cast", List.of(x), List.of("c1"), Attribute.ofInt("to", DataType.FLOAT.code())));
        Node other = g.append(Node.of("Cast", List.of(same.output(0)), List.of("c2"),
                Attribute.ofInt("to", DataType.DOUBLE.code())));
        g.addOutput(other.output(0));
        Model m = Graphs.model(g, 17);
        assertTrue(new EliminateNoOps().run(m).changed());
        assertEquals(1, Graphs.count(m, "Cast"));
        assertSame(x, other.input(0));
    }

    @Test
    void deadNodesAndInitializersGo() {
        Graph g = new Graph("g");
        Value x = Graphs.input(g, "x", 2);
        Graphs.weight(g, "unused", 3);
        Value overridable = new Value("o");
        g.addInput(overridable);
        g.addInitializer(overridable, Tensor.ofFloats("o", new float[] {1}, 1));
        g.append(Node.of("Neg", List.of(x), List.of("dead")));
        g.addOutput(g.append(Node.of("Relu", List.of(x), List.of("y"))).output(0));
        Model m = Graphs.model(g, 17);
        assertTrue(new DeadCodeElimination().run(m).changed());
        assertEquals(1, g.nodeCount());
        assertEquals(List.of(overridable), g.initializers(), "an initializer that is also an input stays");
    }

    @Test
    void identicalInitializersMergeOthersDoNot() {
        Graph g = new Graph("g");
        Value x = Graphs.input(g, "x", 2);
        Value a = g.addInitializer(Tensor.ofFloats("a", new float[] {1, 2}, 2));
        Value b = g.addInitializer(Tensor.ofFloats("b", new float[] {1, 2}, 2));
        Value c = g.addInitializer(Tensor.ofFloats("c", new float[] {1, 3}, 2));
        Node n1 = g.append(Node.of("Sum", List.of(x, a, b, c), List.of("y")));
        g.addOutput(n1.output(0));
        Model m = Graphs.model(g, 17);
        assertTrue(new DeduplicateInitializers().run(m).changed());
        assertEquals(List.of(a, c), g.initializers());
        assertSame(a, n1.input(2));
    }

    @Test
    void repeatedComputationIsSharedButRandomnessIsNot() {
        Graph g = new Graph("g");
        Value x = Graphs.input(g, "x", 2);
        Node r1 = g.append(Node.of("Relu", List.of(x), List.of("r1")));
        Node r2 = g.append(Node.of("Relu", List.of(x), List.of("r2")));
        Node n1 = g.append(Node.of("RandomNormal", List.of(), List.of("n1"), Attribute.ofInts("shape", 2)));
        Node n2 = g.append(Node.of("RandomNormal", List.of(), List.of("n2"), Attribute.ofInts("shape", 2)));
        Node add = g.append(Node.of("Sum", List.of(r1.output(0), r2.output(0), n1.output(0), n2.output(0)), List.of("y")));
        g.addOutput(add.output(0));
        Model m = Graphs.model(g, 17);
        assertTrue(new CommonSubexpressionElimination().run(m).changed());
        assertEquals(1, Graphs.count(m, "Relu"));
        assertEquals(2, Graphs.count(m, "RandomNormal"));
        assertSame(add.input(0), add.input(1));
    }

    @Test
    void nothingToDoIsUnchanged() {
        Graph g = new Graph("g");
        Value x = Graphs.input(g, "x", 2);
        Value y = g.append(Node.of("Relu", List.of(x), List.of("y"))).output(0);
        y.setType(x.type());
        g.addOutput(y);
        Model m = Graphs.model(g, 17);
        for (var p : Optimizer.pipeline(Optimizer.Level.EXTENDED)) {
            assertFalse(p.run(m).changed(), p.name());
        }
    }
}
