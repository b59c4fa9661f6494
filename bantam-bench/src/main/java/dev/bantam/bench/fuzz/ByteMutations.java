package dev.bantam.bench.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Byte-level damage to a serialized model: bit flips, truncation, corrupted length varints, garbage. */
final class ByteMutations {

    record ByteMutation(String name, java.util.function.BiFunction<byte[], Rng, byte[]> apply) {
    }

    static final List<ByteMutation> ALL = List.of(
            new ByteMutation("bit-flips", ByteMutations::bitFlips),
            new ByteMutation("truncate", (b, r) -> Arrays.copyOf(b, b.length == 0 ? 0 : r.below(b.length))),
            new ByteMutation("length-varint", ByteMutations::lengthVarint),
            new ByteMutation("overlong-varint", ByteMutations::overlongVarint),
            new ByteMutation("append-garbage", ByteMutations::appendGarbage),
            new ByteMutation("splice-copy", ByteMutations::spliceCopy),
            new ByteMutation("empty", (b, r) -> new byte[0]));

    private ByteMutations() {
    }

    private static byte[] bitFlips(byte[] b, Rng r) {
        byte[] c = b.clone();
        int k = r.pickOf(1, 1, 2, 4, 16);
        for (int i = 0; i < k && c.length > 0; i++) {
            c[r.below(c.length)] ^= (byte) (1 << r.below(8));
        }
        return c;
    }

    /** Rewrites the length of one length-delimited field (found by walking the wire format) with another value. */
    private static byte[] lengthVarint(byte[] b, Rng r) {
        List<int[]> fields = new ArrayList<>();
        walk(b, 0, b.length, 0, fields);
        if (fields.isEmpty()) {
            return bitFlips(b, r);
        }
        int[] f = r.pick(fields);
        int lenPos = f[0];
        int lenSize = f[1];
        long len = f[2];
        long bad = r.pickOf(0L, len + 1, len - 1, len * 2 + 7, 1L << 31, (1L << 32) + len, -1L, (long) b.length);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(b, 0, lenPos);
        writeVarint(o, bad);
        o.write(b, lenPos + lenSize, b.length - lenPos - lenSize);
        return o.toByteArray();
    }

    private static byte[] overlongVarint(byte[] b, Rng r) {
        byte[] c = b.clone();
        int at = c.length == 0 ? 0 : r.below(c.length);
        for (int i = at; i < Math.min(c.length, at + 11); i++) {
            c[i] = (byte) 0xFF;
        }
        return c;
    }

    private static byte[] appendGarbage(byte[] b, Rng r) {
        byte[] tail = new byte[r.between(1, 64)];
        for (int i = 0; i < tail.length; i++) {
            tail[i] = (byte) r.below(256);
        }
        byte[] c = Arrays.copyOf(b, b.length + tail.length);
        System.arraycopy(tail, 0, c, b.length, tail.length);
        return c;
    }

    private static byte[] spliceCopy(byte[] b, Rng r) {
        if (b.length < 4) {
            return b;
        }
        int from = r.below(b.length);
        int len = r.between(1, Math.min(64, b.length - from));
        int to = r.below(b.length);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(b, 0, to);
        o.write(b, from, len);
        o.write(b, to, b.length - to);
        return o.toByteArray();
    }

    /** Collects {position of the length varint, its size, the length} of every length-delimited field that parses. */
    static boolean walk(byte[] b, int start, int end, int depth, List<int[]> out) {
        int p = start;
        while (p < end) {
            long[] tag = varint(b, p, end);
            if (tag == null || (tag[0] >>> 3) == 0) {
                return false;
            }
            p = (int) tag[1];
            switch ((int) (tag[0] & 7)) {
                case 0 -> {
                    long[] v = varint(b, p, end);
                    if (v == null) {
                        return false;
                    }
                    p = (int) v[1];
                }
                case 1 -> p += 8;
                case 5 -> p += 4;
                case 2 -> {
                    long[] len = varint(b, p, end);
                    if (len == null || len[0] < 0 || len[1] + len[0] > end) {
                        return false;
                    }
                    out.add(new int[] {p, (int) (len[1] - p), (int) len[0]});
                    int body = (int) len[1];
                    if (depth < 6 && len[0] > 1) {
                        List<int[]> inner = new ArrayList<>();
                        if (walk(b, body, body + (int) len[0], depth + 1, inner)) {
                            out.addAll(inner);
                        }
                    }
                    p = body + (int) len[0];
                }
                default -> {
                    return false;
                }
            }
        }
        return p == end;
    }

    /** {value, position after it}, or null when it does not end before {@code end}. */
    private static long[] varint(byte[] b, int p, int end) {
        long v = 0;
        for (int shift = 0; shift < 64 && p < end; shift += 7) {
            byte x = b[p++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return new long[] {v, p};
            }
        }
        return null;
    }

    private static void writeVarint(ByteArrayOutputStream o, long v) {
        while ((v & ~0x7FL) != 0) {
            o.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        o.write((int) v);
    }
}
