package dev.bantam.onnx.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.TensorData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tensors moved out of the heap read back the same, before and after their pages are dropped, and are saved as
 * they were; small tensors stay where they are.
 */
class SpillFileTest {

    @TempDir
    Path dir;

    @Test
    void aSpilledTensorReadsAndSavesAsBefore() throws Exception {
        float[] v = new float[(1 << 18) + 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.5f - 7;
        }
        Tensor heap = Tensor.ofFloats("w", v, v.length);
        Tensor spilled = SpillFile.shared().spill(heap);
        assertTrue(spilled.data() instanceof TensorData.Raw r && r.bytes().isMapped(), spilled.toString());
        assertArrayEquals(v, spilled.toFloatArray());
        spilled.dropPages();
        assertArrayEquals(v, spilled.toFloatArray(), "read again after its pages were dropped");
        Tensor second = SpillFile.shared().spill(Tensor.ofFloats("u", v.clone(), v.length));
        assertArrayEquals(v, second.toFloatArray(), "a second tensor does not overwrite the first");
        assertArrayEquals(v, spilled.toFloatArray());

        Tensor small = Tensor.ofFloats("s", new float[] {1, 2, 3}, 3);
        assertSame(small, SpillFile.shared().spill(small));
        assertSame(spilled, SpillFile.shared().spill(spilled), "already mapped: left alone");

        var g = new dev.bantam.onnx.ir.Graph("g");
        var in = new dev.bantam.onnx.ir.Value("i", dev.bantam.onnx.ir.ValueType.tensor(dev.bantam.onnx.ir.DataType.INT64,
                dev.bantam.onnx.ir.Shape.of(1)));
        g.addInput(in);
        var w = g.addInitializer(spilled);
        var node = g.append(dev.bantam.onnx.ir.Node.of("Gather", java.util.List.of(w, in), java.util.List.of("y")));
        g.addOutput(node.output(0));
        var m = new dev.bantam.onnx.ir.Model(g);
        m.setIrVersion(10L);
        m.opsetImports().add(new dev.bantam.onnx.ir.OpsetId("", 17));
        Path file = dir.resolve("m.onnx");
        ModelIO.save(m, file);
        assertArrayEquals(v, ModelIO.load(file).graph().initializer("w").initializer().toFloatArray());
        assertTrue(Files.size(file) > v.length * 4L);
    }
}
