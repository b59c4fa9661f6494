package dev.bantam.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.testing.TestData;
import dev.bantam.runtime.DataException;
import dev.bantam.runtime.InputInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fashion-MNIST splits, offsets, and streamed IDX reading against the items read in one go. */
class DataSpecTest {

    private static final List<InputInfo> INPUT = List.of(new InputInfo("input", dev.bantam.onnx.ir.DataType.FLOAT,
            new long[] {-1, 1, 28, 28}));

    private static Model cnn() throws Exception {
        TestData.fashionMnist();
        return ModelIO.load(TestData.repoModel("fmnist/cnn.onnx"));
    }

    @Test
    void trainAndTestSplitsAndOffsets() throws Exception {
        Model m = cnn();
        assertEquals(10_000, DataSpec.open("fmnist:", m, INPUT).size());
        assertEquals(60_000, DataSpec.open("fmnist:,split=train", m, INPUT).size());
        DataSource all = DataSpec.open("fmnist:,limit=300", m, INPUT);
        DataSource tail = DataSpec.open("fmnist:,offset=200,limit=100", m, INPUT);
        assertEquals(100, tail.size());
        Batch a = all.batch(200, 100);
        Batch b = tail.batch(0, 100);
        assertArrayEquals(a.labels(), b.labels());
        assertArrayEquals(a.feeds().get("input").toFloatArray(), b.feeds().get("input").toFloatArray());
        DataException e = assertThrows(DataException.class, () -> DataSpec.open("fmnist:,offset=20000", m, INPUT));
        assertTrue(e.getMessage().contains("offset 20000 is past"), e.getMessage());
        assertThrows(DataException.class, () -> DataSpec.open("fmnist:,split=valid", m, INPUT));
    }

    @Test
    void streamedBatchesInAnyOrderEqualOneBigBatch() throws Exception {
        DataSource s = DataSpec.open("fmnist:,limit=96", cnn(), INPUT);
        float[] whole = s.batch(0, 96).feeds().get("input").toFloatArray();
        int px = 28 * 28;
        for (int start : new int[] {64, 0, 32, 40, 95}) { // backwards, forwards, overlapping, last item
            int n = Math.min(16, 96 - start);
            float[] part = s.batch(start, n).feeds().get("input").toFloatArray();
            for (int i = 0; i < part.length; i++) {
                assertEquals(whole[start * px + i], part[i], "item " + start + " pixel " + i);
            }
        }
    }
}
