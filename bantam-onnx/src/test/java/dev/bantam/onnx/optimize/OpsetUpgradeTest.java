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

    /** Resize-10 rounds nearest pixels down when enlarging and up when shrinking; the converted Resize must agree. */
    @Test
    void resize10NearestKeepsItsRoundingWhenEnlargingAndShrinking() throws Exception {
        for (float[] scales : List.of(new float[] {1, 1, 2.5f, 1.75f}, new float[] {1, 1, 0.6f, 0.45f})) {
            Graph g = new Graph("g");
            Value x = Graphs.input(g, "x", 1, 2, 7, 9);
            Value s = g.addInitializer(Tensor.ofFloats("scales", scales, 4));
            Node r = g.append(Node.of("Resize", List.of(x, s), List.of("y"), Attribute.ofString("mode", "nearest")));
            g.addOutput(r.output(0));
            Model m = Graphs.model(g, 10);
            Tensor in = Graphs.randomInput("x", 1, 2, 7, 9);
            var before = Graphs.run(m, Map.of("x", in));
            new OpsetUpgrade(13).run(m);
            assertEquals(3, r.inputs().size(), "roi input before the scales");
            assertNull(OptimizeEquivalenceTest.compare(before, Graphs.run(m, Map.of("x", in)), true),
                    "scales " + java.util.Arrays.toString(scales));
        }
    }

    /** tf_half_pixel_for_nn (removed at 13) becomes half_pixel with the nearest rounding shifted by half a pixel. */
    @Test
    void tfHalfPixelForNearestBecomesHalfPixel() throws Exception {
        for (String rounding : List.of("floor", "round_prefer_floor")) {
            for (float[] scales : List.of(new float[] {1, 1, 2.5f, 3f}, new float[] {1, 1, 0.6f, 0.5f})) {
                Graph g = new Graph("g");
                Value x = Graphs.input(g, "x", 1, 2, 7, 9);
                Value roi = g.addInitializer(Tensor.ofFloats("roi", new float[0], 0));
                Value s = g.addInitializer(Tensor.ofFloats("scales", scales, 4));
                Node r = g.append(Node.of("Resize", List.of(x, roi, s), List.of("y"), Attribute.ofString("mode", "nearest"),
                        Attribute.ofString("coordinate_transformation_mode", "tf_half_pixel_for_nn"),
                        Attribute.ofString("nearest_mode", rounding)));
                g.addOutput(r.output(0));
                Model m = Graphs.model(g, 11);
                Tensor in = Graphs.randomInput("x", 1, 2, 7, 9);
                var before = Graphs.run(m, Map.of("x", in));
                new OpsetUpgrade(13).run(m);
                assertEquals("half_pixel", ResizeChanges.string(r, "coordinate_transformation_mode", ""));
                assertNull(OptimizeEquivalenceTest.compare(before, Graphs.run(m, Map.of("x", in)), true),
                        rounding + " at scales " + java.util.Arrays.toString(scales));
            }
        }
    }

    /** A node that cannot be converted leaves the whole model unchanged, and the error names it and says why. */
    @Test
    void aRefusalNamesTheNodeAndLeavesTheModelAsItWas() {
        Graph g = new Graph("g");
        Value x = Graphs.input(g, "x", 1, 2, 7, 9);
        Node sq = g.append(Node.of("Squeeze", List.of(x), List.of("q"), Attribute.ofInts("axes", 0)));
        Value scales = Graphs.input(g, "s", 4);
        Node r = g.append(Node.of("Resize", List.of(sq.output(0), scales), List.of("y")));
        r.setName("resize_1");
        g.addOutput(r.output(0));
        Model m = Graphs.model(g, 10);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new OpsetUpgrade(13).run(m));
        assertEquals("cannot raise the opset from 10 to 13: node 'resize_1' (Resize): its scales are not constant, and "
                + "Resize-10 rounds nearest pixels down when a scale enlarges and up when it shrinks. Keep the model at "
                + "opset 10, or export it again at opset 13 or later", e.getMessage());
        assertEquals(10, m.opsetVersion("").orElseThrow());
        assertTrue(sq.attribute("axes").isPresent() && sq.inputs().size() == 1, "nothing converted");
    }
}
