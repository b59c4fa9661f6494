package dev.bantam.onnx.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker on graphs built in code: what it must report, and a valid graph it must accept. */
class ModelCheckerTest {

    private static Model model(Graph g) {
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", 17));
        return m;
    }

    private static Graph relu() {
        Graph g = new Graph("g");
        Value x = new Value("x", ValueType.tensor(DataType.FLOAT, Shape.of(2)));
        g.addInput(x);
        Node n = g.append(Node.of("Relu", List.of(x), List.of("y")));
        g.addOutput(n.output(0));
        return g;
    }

    @Test
    void acceptsAValidGraph() {
        assertTrue(ModelChecker.check(model(relu())).issues().isEmpty());
    }

    @Test
    void reportsUndefinedInput() {
        Graph g = relu();
        Node n = g.append(Node.of("Add", List.of(g.outputs().getFirst(), new Value("ghost")), List.of("z")));
        var errors = ModelChecker.check(model(g)).errors();
        assertEquals(1, errors.size());
        assertTrue(errors.getFirst().toString().contains("input 'ghost' is not defined"));
        assertTrue(errors.getFirst().where().contains(n.displayName()));
    }

    @Test
    void reportsDuplicateNames() {
        Graph g = relu();
        g.append(Node.of("Relu", List.of(g.inputs().getFirst()), List.of("y")));
        assertTrue(ModelChecker.check(model(g)).errors().getFirst().message().contains("'y' is defined more than once"));
    }

    @Test
    void reportsMissingOpsetImport() {
        Graph g = relu();
        g.append(new Node("com.example", "Custom", List.of(g.inputs().getFirst()), List.of("c"), List.of()));
        assertTrue(ModelChecker.check(model(g)).errors().getFirst().message()
                .contains("domain 'com.example' of Custom has no opset import"));
    }

    @Test
    void reportsTensorSizeMismatch() {
        Graph g = relu();
        g.addInitializer(Tensor.ofFloats("w", new float[] {1, 2}, 3));
        var errors = ModelChecker.check(model(g)).errors();
        assertTrue(errors.getFirst().message().contains("needs 12 bytes but holds 8"), errors.toString());
    }

    @Test
    void reportsCycleButOnlyWarnsOnMereDisorder() {
        Graph g = new Graph("g");
        Value x = new Value("x", ValueType.tensor(DataType.FLOAT, Shape.of(2)));
        g.addInput(x);
        Node a = g.append(Node.of("Relu", List.of(x), List.of("a")));
        Node b = Node.of("Relu", List.of(a.output(0)), List.of("b"));
        g.insertBefore(a, b);
        g.addOutput(b.output(0));
        CheckReport disorder = ModelChecker.check(model(g));
        assertFalse(disorder.hasErrors());
        assertEquals(1, disorder.warnings().size());
        a.replaceInput(0, b.output(0));
        CheckReport cyc = ModelChecker.check(model(g));
        assertTrue(cyc.errors().getFirst().message().startsWith("cycle"), cyc.toString());
    }
}
