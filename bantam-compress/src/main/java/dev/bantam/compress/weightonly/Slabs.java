package dev.bantam.compress.weightonly;

import dev.bantam.compress.Sqnr;
import java.util.stream.IntStream;

/**
 * Data-free rounding of a layer slab by slab: a few output columns at a time are read from the weight's bytes
 * (mapped from the model file), rounded and dropped, on both cores. Only the codes (one byte per weight) and the
 * block parameters of the whole layer are held, never its floats, so a model far larger than memory goes through
 * at the speed of reading it. Slabs are independent and their error sums are added in slab order, so the result
 * is the same on any number of cores.
 */
final class Slabs {

    /** Floats per slab: about 1 MiB, so a slab is garbage of the young generation. */
    private static final int SLAB_FLOATS = 1 << 18;

    /** The rounded layer and the SQNR of its weights. */
    record Result(BlockQuantized weights, double sqnrDb) {
    }

    private Slabs() {
    }

    static Result quantize(BlockLayer l, BlockFormat f, boolean hqq) {
        if (!l.transposed()) {
            return byRowBlocks(l, f, hqq);
        }
        BlockQuantized q = BlockQuantized.allocate(f, l.k(), l.n());
        int per = Math.max(1, SLAB_FLOATS / l.k());
        int slabs = (l.n() + per - 1) / per;
        Sqnr[] errors = new Sqnr[slabs];
        IntStream.range(0, slabs).parallel().forEach(s -> {
            int c0 = s * per;
            int c1 = Math.min(l.n(), c0 + per);
            errors[s] = new Sqnr();
            DataFree.quantizeInto(q, l.columns(c0, c1), c0, c1 - c0, hqq, errors[s]);
        });
        Sqnr total = new Sqnr();
        for (Sqnr e : errors) {
            total.add(e);
        }
        return new Result(q, total.db());
    }

    /**
     * A weight stored [k][n] (MatMul, Gemm without transB) is read a block of rows at a time: rows
     * [b·blockSize, (b+1)·blockSize) are contiguous in the file and hold block b of every column, so the file is
     * read in order, once.
     */
    private static Result byRowBlocks(BlockLayer l, BlockFormat f, boolean hqq) {
        int k = l.k();
        int n = l.n();
        int bs = f.blockSize();
        BlockQuantized q = BlockQuantized.allocate(f, k, n);
        java.lang.foreign.MemorySegment bytes = l.weight().bytes();
        Sqnr[] errors = new Sqnr[q.blocks()];
        IntStream.range(0, q.blocks()).parallel().forEach(b -> {
            int rows = Math.min(bs, k - b * bs);
            float[] block = new float[rows * n];
            java.lang.foreign.MemorySegment.copy(bytes, dev.bantam.onnx.ir.Tensor.FLOAT_LE, (long) b * bs * n * 4, block,
                    0, rows * n);
            float[] column = new float[rows];
            errors[b] = new Sqnr();
            for (int c = 0; c < n; c++) {
                for (int i = 0; i < rows; i++) {
                    column[i] = block[i * n + c];
                }
                DataFree.quantizeBlock(q, c, b, column, rows, hqq, errors[b]);
            }
        });
        Sqnr total = new Sqnr();
        for (Sqnr e : errors) {
            total.add(e);
        }
        return new Result(q, total.db());
    }
}
