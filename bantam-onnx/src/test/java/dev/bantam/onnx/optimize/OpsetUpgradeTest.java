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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Raising the opset on small graphs: attribute-to-input conversions keep outputs; nothing happens unasked. */
class OpsetUpgradeTest {

    @Test
    void unsqueezeReduceAndOldSoftmaxKeepTheirMeaning() throws Exception {
        Graph g = new Graph("g");
        Value x = Graphs.input(g, "x", 2, 3, 4);
        Node u = g.append(Node.of("Unsqueeze", List.of(x), List.of("u"), Attribute.ofInts("axes", 0)));
        Node r = g.append(Node.of("ReduceMean", List.of(u.output(0)), List.of("r"), Attribute.ofInts("axes", -1)));
        Node s = g.append(Node.of("Softmax", List.of(x), List.of("s"), Attribute.ofInt("axis", 1)));
        g.addOutput(r.output(0));
        g.addOutput(s.output(0));
        Model m = Graphs.model(g, 11);
        Tensor in = Graphs.randomInput("x", 2, 3, 4);
        var before = Graphs.run(m, Map.of("x", in));
        assertTrue(new OpsetUpgrade(18).run(m).changed());
        assertEquals(18, m.opsetVersion("").orElseThrow());
        assertTrue(u.attribute("axes").isEmpty() && u.inputs().size() == 2, "Unsqueeze axes became an input");
        assertTrue(r.attribute("axes").isEmpty() && r.inputs().size() == 2, "ReduceMean axes became an input");
        assertNull(OptimizeEquivalenceTest.compare(before, Graphs.run(m, Map.of("x", in)), true));
    }

    @Test
    void opset9ClipAndSliceAttributesBecomeInputs() throws Exception {
        Graph g = new Graph("g");
        Value x = Graphs.input(g, "x", 2, 3, 8);
        Node c = g.append(Node.of("Clip", List.of(x), List.of("c"), Attribute.ofFloat("min", -0.2f),
                Attribute.ofFloat("max", 0.3f)));
        Node top = g.append(Node.of("Clip", List.of(x), List.of("t"), Attribute.ofFloat("max", 0.1f)));
        Node sl = g.append(Node.of("Slice", List.of(c.output(0)), List.of("s"), Attribute.ofInts("starts", 1, 2),
                Attribute.ofInts("ends", 3, 7), Attribute.ofInts("axes", 1, 2)));
        g.addOutput(sl.output(0));
        g.addOutput(top.output(0));
        Model m = Graphs.model(g, 9);
        Tensor in = Graphs.randomInput("x", 2, 3, 8);
        var before = Graphs.run(m, Map.of("x", in));
        assertTrue(new OpsetUpgrade(13).run(m).changed());
        assertEquals(3, c.inputs().size());
        assertEquals(3, top.inputs().size());
        assertNull(top.input(1), "no min: the optional input stays empty");
        assertEquals(4, sl.inputs().size());
        assertTrue(c.attributes().isEmpty() && sl.attributes().isEmpty());
        assertNull(OptimizeEquivalenceTest.compare(before, Graphs.run(m, Map.of("x", in)), true));
    }

    @Test
    void aLowerOrEqualTargetChangesNothing() {
        Graph g = new Graph("g");
        Value x = Graphs.input(g, "x", 2);
        g.addOutput(g.append(Node.of("Relu", List.of(x), List.of("y"))).output(0));
        Model m = Graphs.model(g, 17);
        assertFalse(new OpsetUpgrade(17).run(m).changed());
        assertEquals(17, m.opsetVersion("").orElseThrow());
    }

    @Test
    void constantsStayNodesBeforeIrVersion4() {
        Graph g = new Graph("g");
        Node c = g.append(Node.of("Constant", List.of(), List.of("k"),
                Attribute.ofTensor("value", Tensor.ofFloats("", new float[] {1}, 1))));
        g.addOutput(c.output(0));
        Model m = Graphs.model(g, 7);
        m.setIrVersion(3L);
        assertFalse(new ConstantToInitializer().run(m).changed());
        assertEquals(1, Graphs.count(m, "Constant"));
    }
}
