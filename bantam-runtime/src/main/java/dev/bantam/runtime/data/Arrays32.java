package dev.bantam.runtime.data;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** int32 tensors from long values, for models whose token inputs are int32. */
final class Arrays32 {

    private Arrays32() {
    }

    static Tensor ofInts(String name, long[] values, long... dims) {
        MemorySegment seg = Arena.ofAuto().allocate((long) values.length * 4, 8);
        for (int i = 0; i < values.length; i++) {
            seg.setAtIndex(Tensor.INT_LE, i, Math.toIntExact(values[i]));
        }
        return Tensor.ofBytes(name, DataType.INT32, dims, seg);
    }
}
