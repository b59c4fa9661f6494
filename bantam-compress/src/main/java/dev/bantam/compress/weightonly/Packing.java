package dev.bantam.compress.weightonly;

/** Bit packing, low bits first: value j of a run occupies bits [j·bits, (j+1)·bits) of the run's bytes. */
final class Packing {

    private Packing() {
    }

    /** Bytes {@code count} values of {@code bits} take. */
    static int bytes(long count, int bits) {
        return (int) ((count * bits + 7) / 8);
    }

    /** Packs {@code count} values read by {@code value} into {@code out} from byte {@code offset}. */
    static void pack(byte[] out, int offset, int count, int bits, java.util.function.IntUnaryOperator value) {
        int mask = (1 << bits) - 1;
        for (int j = 0; j < count; j++) {
            long bit = (long) j * bits;
            int v = value.applyAsInt(j) & mask;
            int at = offset + (int) (bit >>> 3);
            int shift = (int) (bit & 7);
            out[at] |= (byte) (v << shift);
            if (shift + bits > 8) {
                out[at + 1] |= (byte) (v >>> (8 - shift));
            }
        }
    }
}
