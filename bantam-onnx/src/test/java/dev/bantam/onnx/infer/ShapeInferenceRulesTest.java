package dev.bantam.onnx.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Dim;
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

/** Shape inference on small graphs: symbolic dimensions flow, declared types win, unknowns stay unknown. */
class ShapeInferenceRulesTest {

    private static Model model(Graph g) {
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", 17));
        return m;
    }

    private static Value input(Graph g, String name, Dim... dims) {
        Value v = new Value(name, ValueType.tensor(DataType.FLOAT, new Shape(List.of(dims))));
        g.addInput(v);
        return v;
    }

    private static Shape shapeOf(Value v) {
        return ((ValueType.TensorType) v.type()).shape();
    }

    @Test
    void symbolicDimensionsFlowThroughMatMulTransposeAndReshape() {
        Graph g = new Graph("g");
        Value x = input(g, "x", Dim.of("batch"), Dim.of("seq"), Dim.of(8));
        Value w = g.addInitializer(Tensor.ofFloats("w", new float[8 * 4], 8, 4));
        Node mm = g.append(Node.of("MatMul", List.of(x, w), List.of("h")));
        Node t = g.append(Node.of("Transpose", List.of(mm.output(0)), List.of("t"), Attribute.ofInts("perm", 1, 0, 2)));
        Node r = g.append(Node.of("Reshape", List.of(t.output(0),
                g.addInitializer(Tensor.ofLongs("s", new long[] {0, -1}, 2))), List.of("r")));
        new ShapeInference().run(model(g));
        assertEquals(new Shape(List.of(Dim.of("batch"), Dim.of("seq"), Dim.of(4))), shapeOf(mm.output(0)));
        assertEquals(new Shape(List.of(Dim.of("seq"), Dim.of("batch"), Dim.of(4))), shapeOf(t.output(0)));
        assertEquals(new Shape(List.of(Dim.of("seq"), Dim.unknown())), shapeOf(r.output(0)));
    }

    @Test
    void declaredTypesAreNeverReplaced() {
        Graph g = new Graph("g");
        Value x = input(g, "x", Dim.of(2), Dim.of(3));
        Node relu = g.append(Node.of("Relu", List.of(x), List.of("y")));
        ValueType declared = ValueType.tensor(DataType.FLOAT, null);
        relu.output(0).setType(declared);
        assertFalse(new ShapeInference().run(model(g)).changed());
        assertEquals(declared, relu.output(0).type());
    }

    @Test
    void unknownOperatorsAndInputsLeaveValuesUntyped() {
        Graph g = new Graph("g");
        Value x = input(g, "x", Dim.of(2));
        Node custom = g.append(new Node("com.example", "Magic", List.of(x), List.of("m"), List.of()));
        Node relu = g.append(Node.of("Relu", List.of(custom.output(0)), List.of("y")));
        new ShapeInference().run(model(g));
        assertNull(custom.output(0).type());
        assertNull(relu.output(0).type());
    }

    @Test
    void convolutionOutputSizeFollowsPadsAndStrides() {
        Graph g = new Graph("g");
        Value x = input(g, "x", Dim.of("n"), Dim.of(3), Dim.of(28), Dim.of(28));
        Value w = g.addInitializer(Tensor.ofFloats("w", new float[16 * 3 * 3 * 3], 16, 3, 3, 3));
        Node conv = g.append(Node.of("Conv", List.of(x, w), List.of("c"), Attribute.ofInts("pads", 1, 1, 1, 1),
                Attribute.ofInts("strides", 2, 2)));
        new ShapeInference().run(model(g));
        assertEquals(new Shape(List.of(Dim.of("n"), Dim.of(16), Dim.of(14), Dim.of(14))), shapeOf(conv.output(0)));
    }
}
