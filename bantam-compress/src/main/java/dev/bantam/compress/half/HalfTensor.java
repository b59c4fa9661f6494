package dev.bantam.compress.half;

import dev.bantam.compress.TensorEntry;
import java.util.List;

/**
 * One float32 constant the conversion considered: stored in the half type or left in float32 (and why), what the
 * rounding kept, and its bytes before and after.
 *
 * @param tensor      the initializer or Constant node output
 * @param node        its first reader (display name)
 * @param opType      that reader's operator
 * @param shape       its shape
 * @param converted   whether it is stored in the half type
 * @param reason      why it was left in float32 (null when converted)
 * @param maxAbs      its largest magnitude
 * @param sqnrDb      what the rounding to the half type kept (computed whether or not it was converted)
 * @param overflow    elements beyond the half type's largest finite value
 * @param flushed     non-zero elements the rounding makes zero
 * @param floatCast   whether float32 readers read it through a Cast (ONNX Runtime folds it at load)
 * @param bytesBefore its bytes in float32
 * @param bytesAfter  its bytes as stored now
 */
public record HalfTensor(String tensor, String node, String opType, List<Long> shape, boolean converted, String reason,
                         float maxAbs, double sqnrDb, long overflow, long flushed, boolean floatCast, long bytesBefore,
                         long bytesAfter) implements TensorEntry {

    public HalfTensor {
        shape = List.copyOf(shape);
    }
}
