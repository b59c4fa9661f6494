package dev.bantam.train.student;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.testing.Ort;
import dev.bantam.onnx.testing.RealModels;
import dev.bantam.onnx.testing.TestData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layer dropping on MiniLM (six transformer layers) and the Fashion-MNIST resnet (residual blocks). */
class LayerDroppingTest {

    @TempDir
    Path dir;

    @Test
    void everyOtherMiniLmLayerLeavesAThreeLayerModelOnnxRuntimeRuns() throws Exception {
        RealModels.Case c = RealModels.minilm(dir);
        Model m = ModelIO.load(c.model());
        List<Blocks.Block> blocks = Blocks.of(m.graph());
        assertEquals(6, blocks.size());
        LayerDropping.Result r = LayerDropping.drop(m, LayerDropping.everyOther(blocks));
        assertEquals(List.of(0, 2, 4), r.kept());
        assertEquals(List.of(1, 3, 5), r.dropped());
        long perLayer = (r.parametersBefore() - r.parametersAfter()) / 3;
        assertTrue(perLayer > 1_700_000 && perLayer < 1_800_000, "a MiniLM layer has 1.78M weights: " + perLayer);
        assertEquals(List.of(), ModelChecker.check(m).errors());
        assertEquals(3, Blocks.of(m.graph()).size());
        Path student = dir.resolve("student.onnx");
        ModelIO.save(m, student);
        Map<String, Ort.Output> teacher = Ort.run(c.model(), c.inputs());
        Map<String, Ort.Output> out = Ort.run(student, c.inputs());
        assertEquals(teacher.keySet(), out.keySet(), "same outputs, same names");
        assertTrue(java.util.Arrays.equals(teacher.get("last_hidden_state").shape(),
                out.get("last_hidden_state").shape()));
    }

    @Test
    void aBlockThatChangesTheShapeIsRefused() throws Exception {
        Model m = ModelIO.load(TestData.repoModel("fmnist/resnet.onnx"));
        List<Blocks.Block> blocks = Blocks.of(m.graph());
        assertEquals(6, blocks.size(), blocks.stream().map(Blocks.Block::index).toList().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayerDropping.drop(m, Set.of(2)));
        assertTrue(e.getMessage().startsWith("layer 2 turns"), e.getMessage());
        LayerDropping.Result r = LayerDropping.drop(ModelIO.load(TestData.repoModel("fmnist/resnet.onnx")), Set.of(1, 5));
        assertEquals(List.of(0, 2, 3, 4), r.kept());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> LayerDropping.drop(ModelIO.load(TestData.repoModel("fmnist/tiny.onnx")), Set.of(1)));
        assertTrue(none.getMessage().startsWith("no repeated layers found"), none.getMessage());
    }
}
