package dev.bantam.compress.share;

import dev.bantam.compress.Granularity;
import dev.bantam.compress.TensorEntry;
import java.util.List;

/**
 * One weight stored as a codebook: its codebook kind, how many values each codebook holds, the bits of each
 * index, per tensor or per channel, the nodes that read it (more than one when identical tensors are shared),
 * what the quantization kept (SQNR), and its bytes before and after (codebook and indices).
 */
public record SharedTensor(String tensor, String node, String opType, List<Long> shape, Codebook codebook, int levels,
                           int indexBits, Granularity granularity, List<String> readers, double sqnrDb,
                           long bytesBefore, long bytesAfter) implements TensorEntry {

    public SharedTensor {
        shape = List.copyOf(shape);
        readers = List.copyOf(readers);
    }
}
