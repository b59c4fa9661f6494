package dev.bantam.compress.weightonly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bantam.compress.Sqnr;
import dev.bantam.onnx.ir.Node;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The streaming data-free pass (slabs of columns, or blocks of rows for [k][n] weights, on both cores) against
 * the plain one over the whole weight: the same codes, scales and zero points, and the same weight SQNR; and the
 * parallel bit packing against the plain one.
 */
class SlabsTest {

    @ParameterizedTest
    @CsvSource({"false, false, 4, 32", "true, false, 4, 32", "false, true, 4, 16", "true, true, 8, 64",
        "false, false, 2, 128", "true, false, 3, 32"})
    void slabsGiveTheSameBlocksAsTheWholeWeight(boolean gemm, boolean hqq, int bits, int blockSize) {
        var m = WeightOnlyFormatsTest.layer(gemm);
        Node n = m.graph().nodes().getFirst();
        BlockLayer l = BlockLayer.of(n, new StringBuilder()).orElseThrow();
        BlockFormat f = new BlockFormat(bits, blockSize, false);
        float[] columns = l.columns();
        assertArrayEquals(columns, concat(l), "slab reads equal the whole weight in column form");
        BlockQuantized whole = DataFree.quantize(columns, l.k(), l.n(), f, hqq);
        Slabs.Result slabs = Slabs.quantize(l, f, hqq);
        assertArrayEquals(whole.codes(), slabs.weights().codes());
        assertArrayEquals(whole.scales(), slabs.weights().scales());
        assertArrayEquals(whole.zeros(), slabs.weights().zeros());
        assertEquals(Sqnr.of(columns, whole.columns()), slabs.sqnrDb(), 1e-9);
    }

    private static float[] concat(BlockLayer l) {
        float[] out = new float[l.k() * l.n()];
        for (int c0 = 0; c0 < l.n(); c0 += 7) {
            int c1 = Math.min(l.n(), c0 + 7);
            System.arraycopy(l.columns(c0, c1), 0, out, c0 * l.k(), (c1 - c0) * l.k());
        }
        return out;
    }

    @Test
    void parallelPackingEqualsThePlainPacking() {
        Random r = new Random(3);
        for (int bits : new int[] {2, 3, 4, 8}) {
            for (int count : new int[] {1, 7, 64, 200_001}) {
                byte[] codes = new byte[count];
                for (int i = 0; i < count; i++) {
                    codes[i] = (byte) r.nextInt(1 << bits);
                }
                byte[] plain = new byte[Packing.bytes(count, bits)];
                Packing.pack(plain, 0, count, bits, j -> codes[j]);
                assertArrayEquals(plain, Packing.packAll(codes, bits), bits + " bits, " + count + " codes");
            }
        }
    }
}
