package dev.bantam.compress.share;

import dev.bantam.compress.Sqnr;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ops.WeightLayout;
import dev.bantam.onnx.ops.WeightLayouts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Logarithmic levels with one scale per block: the normalized levels (zero and ±base^-j) are shared by the
 * whole tensor, each block of {@code blockSize} weights along a channel's reduction axis has its own α fitted for
 * the least squared error, and the decoded weight is {@code levels[index] * α_block}. An embedding table's blocks run
 * along each token's vector.
 */
final class BlockSharing {

    private BlockSharing() {
    }

    static SharedTensor share(Graph g, Tensor w, WeightLayout layout, List<Node> readers, int id, WeightSharingConfig c) {
        long[] dims = w.dims();
        float[] values = w.toFloatArray();
        Node first = readers.getFirst();
        long[] blocked = WeightSharing.blockedShape(first, w, c);
        int bs = c.blockSize();
        boolean rowsFirst = WeightSharing.rowBlocks(layout);
        int channels = (int) dims[rowsFirst ? 0 : layout.outputAxis()];
        int perChannel = values.length / channels;
        int blocks = perChannel / bs;
        double base = c.codebook() == Codebook.LOG2 ? 2 : Math.sqrt(2);
        double[] unit = CodebookFit.logLevels(1, base, (1 << (c.bits() - 1)) - 1);
        int zero = CodebookFit.nearest(unit, 0);
        int[] index = new int[values.length];
        float[] scales = new float[channels * blocks];
        float[] decoded = new float[values.length];
        float[] block = new float[bs];
        int[] at = new int[bs];
        for (int ch = 0; ch < channels; ch++) {
            for (int b = 0; b < blocks; b++) {
                for (int i = 0; i < bs; i++) { // element i of block b of channel ch, along the reduction axis
                    int k = b * bs + i;
                    at[i] = rowsFirst ? ch * perChannel + k : k * channels + ch;
                    block[i] = values[at[i]];
                }
                double[] levels = CodebookFit.logLevelsFor(block, c);
                double alpha = levels.length == 1 ? 0 : levels[levels.length - 1];
                CodebookFit.Fit fit = c.incremental() && alpha > 0 ? CodebookFit.incremental(block, levels)
                        : CodebookFit.nearest(block, levels.length == 1 ? new double[] {0} : levels);
                int s = rowsFirst ? ch * blocks + b : b * channels + ch;
                scales[s] = (float) alpha;
                for (int i = 0; i < bs; i++) {
                    index[at[i]] = alpha == 0 ? zero : fit.index()[i];
                    decoded[at[i]] = (float) (unit[index[at[i]]] * scales[s]);
                }
            }
        }
        String name = first.input(layout.weightInput()).name();
        CodebookStorage storage = new CodebookStorage(g, name, id);
        long initializersBefore = g.initializers().stream().mapToLong(v -> v.initializer().storedByteSize()).sum();
        float[] book = new float[unit.length];
        for (int i = 0; i < unit.length; i++) {
            book[i] = (float) unit[i];
        }
        Value normalized = storage.gather(first, dims, -1, unit.length, book, index);
        long[] scaleShape = rowsFirst ? new long[] {blocked[0], blocked[1], 1} : new long[] {blocked[0], 1, blocked[2]};
        Value shared = storage.scaleBlocks(first, normalized, dims, blocked, scales, scaleShape);
        long added = g.initializers().stream().mapToLong(v -> v.initializer().storedByteSize()).sum() - initializersBefore;
        List<String> names = new ArrayList<>();
        for (Node n : readers) {
            n.replaceInput(WeightLayouts.of(n).orElseThrow().weightInput(), shared);
            names.add(n.displayName());
        }
        return new SharedTensor(name, first.displayName(), first.opType(), Arrays.stream(dims).boxed().toList(),
                c.codebook(), unit.length, CodebookStorage.indexBits(unit.length), c.granularity(), names,
                Sqnr.of(values, decoded), w.storedByteSize(), added);
    }
}
