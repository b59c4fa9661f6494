package dev.bantam.onnx.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.testing.Ort;
import dev.bantam.onnx.testing.RealModels;
import dev.bantam.onnx.testing.TestData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MiniLM raised to opset 20: every LayerNorm and GELU fused, outputs within 1e-5 relative of the original. */
class MiniLmFusionTest {

    @Test
    void layerNormAndGeluAreFused(@TempDir Path dir) throws Exception {
        RealModels.Case c = RealModels.minilm(dir);
        var before = Ort.run(c.model(), c.inputs());
        Model m = ModelIO.load(c.model());
        Optimizer.optimize(m, Optimizer.pipeline(Optimizer.Level.EXTENDED), 20);
        assertEquals(java.util.List.of(), ModelChecker.check(m).errors());
        assertEquals(13, Graphs.count(m, "LayerNormalization"), "6 layers x 2 + embeddings");
        assertEquals(6, Graphs.count(m, "Gelu"));
        assertEquals(0, Graphs.count(m, "Erf") + Graphs.count(m, "Pow") + Graphs.count(m, "Sqrt"));
        Path out = dir.resolve("opt.onnx");
        ModelIO.save(m, out);
        assertNull(OptimizeEquivalenceTest.compare(before, Ort.run(out, c.inputs()), false));
    }

    @Test
    void withoutATargetOpsetNothingIsFused(@TempDir Path dir) throws Exception {
        Model m = ModelIO.load(RealModels.minilm(dir).model());
        Optimizer.optimize(m, Optimizer.pipeline(Optimizer.Level.EXTENDED));
        assertEquals(0, Graphs.count(m, "LayerNormalization") + Graphs.count(m, "Gelu"));
        assertEquals(11, m.opsetVersion("").orElseThrow());
    }

    @Test
    void opsetsNewerThanTheKnownChangesAreRefused() throws Exception {
        Model m = ModelIO.load(TestData.backendSuite().resolve("node/test_resize_upsample_scales_nearest/model.onnx"));
        var e = assertThrows(IllegalArgumentException.class, () -> new OpsetUpgrade(OpsetUpgrade.NEWEST_KNOWN + 1).run(m));
        assertTrue(e.getMessage().endsWith("Bantam knows the operator changes up to opset 23"), e.getMessage());
    }
}
