package dev.bantam.compress.weightonly;

import dev.bantam.compress.TensorEntry;
import java.util.List;

/**
 * One weight stored in blocks: its layer, the bits and block size, the algorithm that rounded it and the format it
 * was written in, what it kept (SQNR of the weights; with calibration data also of the layer's output on that data,
 * from the inputs' Gram matrix), and its bytes before and after.
 *
 * @param outputSqnrDb SQNR of the layer's output x·W over the calibration inputs, or null without data
 */
public record WeightOnlyTensor(String tensor, String node, String opType, List<Long> shape, int bits, int blockSize,
                               boolean symmetric, String algorithm, String format, double sqnrDb, Double outputSqnrDb,
                               long bytesBefore, long bytesAfter) implements TensorEntry {

    public WeightOnlyTensor {
        shape = List.copyOf(shape);
    }
}
