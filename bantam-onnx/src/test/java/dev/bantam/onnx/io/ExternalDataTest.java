package dev.bantam.onnx.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.TensorData;
import dev.bantam.onnx.testing.Ort;
import dev.bantam.onnx.testing.RealModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MiniLM with its weights in an external file: saves, reloads lazily, and runs with identical outputs. */
class ExternalDataTest {

    @Test
    void miniLmSavedWithExternalDataRunsIdentically(@TempDir Path dir) throws Exception {
        RealModels.Case c = RealModels.minilm(dir);
        Model m = ModelIO.load(c.model());
        Path ext = dir.resolve("ext/minilm.onnx");
        SaveResult r = ModelIO.save(m, ext, SaveOptions.external("minilm.weights", 1024));
        assertTrue(r.modelBytes() < 1_000_000, "model file holds only the graph: " + r.modelBytes());
        assertTrue(r.externalBytes() > 85_000_000, "weights went out: " + r.externalBytes());
        assertEquals(dir.resolve("ext/minilm.weights"), r.externalData());
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(ext)),
                "outputs are readable like any file, not owner-only like a temporary file");

        Model reloaded = ModelIO.load(ext);
        long external = reloaded.tensorsRecursive().stream().filter(Tensor::isExternal).count();
        assertEquals(r.externalTensors(), external);
        for (Tensor t : reloaded.tensorsRecursive()) {
            if (t.data() instanceof TensorData.External e) {
                assertFalse(((MappedFile) e.location().source()).isMapped(), "loading reads no tensor bytes");
            }
        }
        Map<String, Ort.Output> want = Ort.run(c.model(), c.inputs());
        Map<String, Ort.Output> got = Ort.run(ext, c.inputs());
        assertTrue(want.get("last_hidden_state").sameAs(got.get("last_hidden_state")));

        // KEEP mode carries external weights along to a new folder; INLINE brings them back.
        Path moved = dir.resolve("moved/m.onnx");
        SaveResult kept = ModelIO.save(reloaded, moved);
        assertEquals(dir.resolve("moved/m.onnx.data"), kept.externalData());
        Path inline = dir.resolve("inline.onnx");
        SaveResult in = ModelIO.save(ModelIO.load(moved), inline, SaveOptions.inline());
        assertEquals(null, in.externalData());
        assertTrue(Ort.run(inline, c.inputs()).get("last_hidden_state").sameAs(want.get("last_hidden_state")));
        assertEquals(Files.size(c.model()), Files.size(inline), "inline again: the original size");
    }
}
