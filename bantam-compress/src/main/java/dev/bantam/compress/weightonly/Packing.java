package dev.bantam.compress.weightonly;

/** Bit packing, low bits first: value j of a run occupies bits [j·bits, (j+1)·bits) of the run's bytes. */
final class Packing {

    private Packing() {
    }

    /** Bytes {@code count} values of {@code bits} take. */
    static int bytes(long count, int bits) {
        return (int) ((count * bits + 7) / 8);
    }

    /**
     * Packs all of {@code codes} (unsigned, one per byte) at 2, 4 or 8 bits, in slices on both cores: the same bytes
     * as {@link #pack} over the whole run, when every slice starts on a byte (it does: slices hold whole bytes).
     */
    static byte[] packAll(byte[] codes, int bits) {
        byte[] out = new byte[bytes(codes.length, bits)];
        if (bits == 8) {
            System.arraycopy(codes, 0, out, 0, codes.length);
            return out;
        }
        if (8 % bits != 0) {
            pack(out, 0, codes.length, bits, j -> codes[j]);
            return out;
        }
        int per = 8 / bits;
        int mask = (1 << bits) - 1;
        int slice = 1 << 16;
        java.util.stream.IntStream.range(0, (out.length + slice - 1) / slice).parallel().forEach(s -> {
            int end = Math.min(out.length, (s + 1) * slice);
            if (bits == 4 && end * 2 <= codes.length) {
                for (int b = s * slice; b < end; b++) {
                    out[b] = (byte) ((codes[2 * b] & 15) | (codes[2 * b + 1] & 15) << 4);
                }
                return;
            }
            for (int b = s * slice; b < end; b++) {
                int v = 0;
                for (int j = 0; j < per; j++) {
                    int at = b * per + j;
                    v |= at < codes.length ? (codes[at] & mask) << (j * bits) : 0;
                }
                out[b] = (byte) v;
            }
        });
        return out;
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
