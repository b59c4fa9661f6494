package dev.bantam.onnx.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.TensorData;
import dev.bantam.onnx.testing.LargeModels;
import dev.bantam.onnx.testing.Ort;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model with 2.25 GiB of weights, over protobuf's 2 GB limit: it saves (weights going to external data
 * on their own), reloads without reading the weights, saves again, and runs in ONNX Runtime.
 */
@Tag("slow")
class LargeModelTest {

    @Test
    void overTwoGigabytesSavesReloadsAndRuns(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("a/large.onnx");
        try (Arena arena = Arena.ofConfined()) {
            Model m = LargeModels.build(arena);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> ModelIO.save(m, dir.resolve("inline.onnx"), SaveOptions.inline()));
            assertTrue(e.getMessage().contains("2 GB limit"));
            SaveResult r = ModelIO.save(m, first);
            assertNotNull(r.externalData(), "weights over 2 GB go to external data by themselves");
            assertTrue(r.externalBytes() > (2L << 30), "external bytes: " + r.externalBytes());
        }
        Model reloaded = ModelIO.load(first);
        for (Tensor t : reloaded.tensorsRecursive()) {
            assertFalse(((MappedFile) ((TensorData.External) t.data()).location().source()).isMapped());
        }
        Path second = dir.resolve("b/large.onnx");
        ModelIO.save(reloaded, second);

        long[] idx = {0, 12_345, LargeModels.ELEMENTS - 1};
        var out = Ort.run(second, Map.of("idx", Tensor.ofLongs("idx", idx, 3))).get("y");
        float[] want = new float[3 * LargeModels.TENSORS];
        for (int i = 0; i < LargeModels.TENSORS; i++) {
            for (int k = 0; k < 3; k++) {
                want[i * 3 + k] = LargeModels.value(i, idx[k]);
            }
        }
        float[] got = new float[want.length];
        MemorySegment.copy(MemorySegment.ofArray(out.bytes()), Tensor.FLOAT_LE, 0, got, 0, got.length);
        assertArrayEquals(want, got);
    }
}
