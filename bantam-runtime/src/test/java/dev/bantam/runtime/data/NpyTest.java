package dev.bantam.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @Test
    void readsFloatArraysAndSlicesThemIntoBatches(@TempDir Path dir) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(6 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            b.putFloat(i);
        }
        Path p = Files.write(dir.resolve("a.npy"), BadDataTest.npy("<f4", "(3, 2)", b.array()));
        Map<String, Tensor> m = Npy.read(p, "x");
        assertEquals(DataType.FLOAT, m.get("x").dataType());
        assertArrayEquals(new long[] {3, 2}, m.get("x").dims());
        Batch batch = new ArraySource(m, "a").batch(1, 2);
        assertArrayEquals(new float[] {2, 3, 4, 5}, batch.feeds().get("x").toFloatArray());
    }
}
