package dev.bantam.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.compress.testing.Graphs;
import dev.bantam.compress.testing.Runs;
import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Layers cut out of a model run on their own in ONNX Runtime and compute what they computed inside it. */
class ModelPieceTest {

    @Test
    void theWholeGraphCutOutComputesTheModel() {
        Model m = Graphs.convReluPool();
        Map<String, Tensor> feeds = Runs.feeds(m, 3, 2);
        float[] before = Runs.run(m, feeds);
        int nodes = m.graph().nodeCount();
        Model piece = ModelPiece.cut(m, m.graph().nodes(), Map.of("x", new long[] {2, 3, 12, 12}));
        assertEquals(List.of(), ModelChecker.check(piece).errors());
        assertArrayEquals(before, Runs.run(piece, feeds));
        assertEquals(nodes, m.graph().nodeCount(), "the source model keeps its nodes");
        assertArrayEquals(before, Runs.run(m, feeds), "and computes what it did");
    }

    @Test
    void aMiddleLayerTakesItsInputShapeAndItsWeights() {
        Model m = Graphs.convReluPool();
        Node last = m.graph().nodes().getLast();
        Model piece = ModelPiece.cut(m, List.of(last), Map.of(last.input(0).name(), new long[] {5, 8, 6, 6}));
        assertEquals(List.of(), ModelChecker.check(piece).errors());
        assertEquals(1, piece.graph().inputs().size());
        assertTrue(piece.graph().initializers().size() >= 1, "the weight came along");
        float[] out = Runs.run(piece, Runs.feeds(piece, 1, 5));
        assertEquals(5 * 16 * 4 * 4, out.length, "batch 5, 16 channels, 4x4");
        var unknown = assertThrows(IllegalArgumentException.class, () -> ModelPiece.cut(m, List.of(last), Map.of()));
        assertTrue(unknown.getMessage().contains("shape is unknown"), unknown.getMessage());
    }
}
