package dev.bantam.compress.weightonly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.compress.Sqnr;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RTN and HQQ block by block, and the bit packing every format uses. */
class DataFreeTest {

    /** Heavy-tailed weights (Student-t-like), where min-max blocks waste most of their range. */
    static float[] heavyTailed(int count, long seed) {
        Random r = new Random(seed);
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            double g = r.nextGaussian();
            double chi = Math.abs(r.nextGaussian()) + 0.3;
            v[i] = (float) (0.05 * g / chi);
        }
        return v;
    }

    @Test
    void hqqIsNeverWorseThanRtnOnAnyBlockAndBetterOverall() {
        int k = 256;
        int n = 64;
        float[] cols = heavyTailed(k * n, 1);
        for (int bits : new int[] {2, 3, 4}) {
            BlockFormat f = new BlockFormat(bits, 32, false);
            BlockQuantized rtn = DataFree.quantize(cols, k, n, f, false);
            BlockQuantized hqq = DataFree.quantize(cols, k, n, f, true);
            for (int c = 0; c < n; c++) {
                for (int b = 0; b < rtn.blocks(); b++) {
                    int from = c * k + b * 32;
                    double eR = rtn.params(c, b).squaredError(cols, from, from + 32, f.maxCode());
                    double eH = hqq.params(c, b).squaredError(cols, from, from + 32, f.maxCode());
                    assertTrue(eH <= eR, "block " + c + "/" + b);
                }
            }
            double sR = Sqnr.of(cols, rtn.columns());
            double sH = Sqnr.of(cols, hqq.columns());
            assertTrue(sH > sR + 0.2, bits + " bits: HQQ " + sH + " dB vs RTN " + sR + " dB");
        }
    }

    @Test
    void symmetricBlocksMapTheLargestMagnitudeExactly() {
        float[] cols = {0.5f, -1.0f, 0.25f, 0f, 0.1f, -0.3f, 0.7f, 0.9f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f};
        BlockQuantized q = DataFree.quantize(cols, 16, 1, new BlockFormat(4, 16, true), false);
        assertEquals(-1.0f, q.value(0, 1), 1e-7f);
        assertEquals(0f, q.value(0, 3), 0f);
        assertEquals(8, q.zeros()[0]);
    }

    @Test
    void paddingReadsBackAsZero() {
        float[] cols = heavyTailed(40, 2);
        BlockQuantized q = DataFree.quantize(cols, 40, 1, new BlockFormat(4, 32, false), true);
        for (int i = 40; i < 64; i++) {
            assertEquals(0f, q.value(0, i), 0f);
        }
    }

    @Test
    void packingMatchesABitStringLowBitsFirst() {
        Random r = new Random(3);
        for (int bits = 2; bits <= 8; bits++) {
            int count = 37;
            int[] v = new int[count];
            StringBuilder stream = new StringBuilder();
            for (int j = 0; j < count; j++) {
                v[j] = r.nextInt(1 << bits);
                for (int b = 0; b < bits; b++) {
                    stream.append((v[j] >> b) & 1);
                }
            }
            byte[] packed = new byte[Packing.bytes(count, bits) + 1];
            packed[packed.length - 1] = 0x5a;
            Packing.pack(packed, 0, count, bits, j -> v[j]);
            for (int bit = 0; bit < count * bits; bit++) {
                assertEquals(stream.charAt(bit) - '0', (packed[bit / 8] >> (bit % 8)) & 1, bits + " bits, bit " + bit);
            }
            assertEquals(0x5a, packed[packed.length - 1], "wrote past its bytes");
        }
    }
}
