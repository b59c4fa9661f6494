package dev.bantam.onnx.testing;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated model with 2.25 GiB of float weights (nine 256 MiB vectors), over protobuf's 2 GB limit.
 * Its output gathers three elements of each weight, so a run checks the bytes ONNX Runtime read.
 */
public final class LargeModels {

    public static final int TENSORS = 9;
    public static final long ELEMENTS = 64L << 20;

    private LargeModels() {
    }

    /** W_i[j] = 1000 i + j mod 1000, exact in float32. */
    public static float value(int i, long j) {
        return 1000f * i + (j % 1000);
    }

    /** Builds the model with its weights allocated in {@code arena} (off the heap). */
    public static Model build(Arena arena) {
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
        Node concat = g.append(Node.of("Concat", parts, List.of("y"), Attribute.ofInt("axis", 0)));
        concat.output(0).setType(ValueType.tensor(DataType.FLOAT, Shape.of(3L * TENSORS)));
        g.addOutput(concat.output(0));
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", 17));
        return m;
    }
}
