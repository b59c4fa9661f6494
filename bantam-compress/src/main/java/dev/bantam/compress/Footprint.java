package dev.bantam.compress;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The size and cost of a model: parameters (every number its constant tensors store, float or integer,
 * quantization scales and zero points included; int64 shape constants excluded), the bytes all its constant
 * tensors take, and multiply-accumulates per item (null when not measured: counting them takes one run on
 * real input).
 */
public record Footprint(long parameters, long parameterBytes, Macs macs) {

    /** Counts {@code model}'s weights (main graph, subgraphs and functions); {@code macs} may be null. */
    public static Footprint of(Model model, Macs macs) {
        long params = 0;
        long bytes = 0;
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (Tensor t : model.tensorsRecursive()) {
            if (seen.put(t, Boolean.TRUE) != null || t.dataType() == DataType.STRING) {
                continue;
            }
            bytes += t.storedByteSize();
            if (t.dataType() != DataType.INT64) {
                params += t.elementCount();
            }
        }
        return new Footprint(params, bytes, macs);
    }
}
