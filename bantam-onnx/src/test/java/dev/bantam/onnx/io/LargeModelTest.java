package dev.bantam.onnx.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.TensorData;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.testing.Ort;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    static final int TENSORS = 9;
    static final long ELEMENTS = 64L << 20;

    /** W_i[j] = 1000 i + j mod 1000, exact in float32. */
    static float value(int i, long j) {
        return 1000f * i + (j % 1000);
    }

    static Model build(Arena arena) {
        Graph g = new Graph("large");
        Value idx = new Value("idx", ValueType.tensor(DataType.INT64, Shape.of(3)));
        g.addInput(idx);
        List<Value> parts = new ArrayList<>();
        for (int i = 0; i < TENSORS; i++) {
            MemorySegment seg = arena.allocate(ELEMENTS * 4, 64);
            for (long j = 0; j < ELEMENTS; j++) {
                seg.setAtIndex(Tensor.FLOAT_LE, j, value(i, j));
            }
            Value w = g.addInitializer(Tensor.ofBytes("w" + i, DataType.FLOAT, new long[] {ELEMENTS}, seg));
            parts.add(g.append(Node.of("Gather", List.of(w, idx), List.of("g" + i))).output(0));
        }
        Node concat = g.append(Node.of("Concat", parts, List.of("y"),
                dev.bantam.onnx.ir.Attribute.ofInt("axis", 0)));
        concat.output(0).setType(ValueType.tensor(DataType.FLOAT, Shape.of(3L * TENSORS)));
        g.addOutput(concat.output(0));
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", 17));
        return m;
    }

    @Test
    void overTwoGigabytesSavesReloadsAndRuns(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("a/large.onnx");
        try (Arena arena = Arena.ofConfined()) {
            Model m = build(arena);
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

        long[] idx = {0, 12_345, ELEMENTS - 1};
        var out = Ort.run(second, Map.of("idx", Tensor.ofLongs("idx", idx, 3))).get("y");
        float[] want = new float[3 * TENSORS];
        for (int i = 0; i < TENSORS; i++) {
            for (int k = 0; k < 3; k++) {
                want[i * 3 + k] = value(i, idx[k]);
            }
        }
        float[] got = new float[want.length];
        MemorySegment.copy(MemorySegment.ofArray(out.bytes()), Tensor.FLOAT_LE, 0, got, 0, got.length);
        assertArrayEquals(want, got);
    }
}
