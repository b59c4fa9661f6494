package dev.bantam.onnx.ir.serde;

import dev.bantam.onnx.io.ModelFormatException;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Lifts large {@code TensorProto.raw_data} fields out of a serialized ModelProto before protobuf parses it.
 *
 * <p>protobuf-java copies a direct (memory-mapped) buffer onto the heap before parsing when it cannot use
 * {@code sun.misc.Unsafe}, as on JDK 25; a 90 MB model would then cost 90 MB of heap just to load. This
 * walker reads the wire format along the fields that can hold tensors, copies everything else into a small
 * heap message, and replaces each large raw_data with an index into a list of slices of the mapped file.
 * The index travels as an unknown varint field ({@link #SPLICE_FIELD}) that the reader removes again.
 */
final class RawDataSplicer {

    /** The largest legal field number: no ONNX field will ever use it. */
    static final int SPLICE_FIELD = (1 << 29) - 1;
    /** raw_data shorter than this stays in the message. */
    static final int MIN_SPLICE_BYTES = 128;

    private enum Kind { MODEL, GRAPH, NODE, ATTRIBUTE, TENSOR, SPARSE, FUNCTION }

    /** Offsets and lengths (in the input segment) of the lifted raw_data fields, by splice index. */
    record Result(byte[] message, List<long[]> slices) {
    }

    private final MemorySegment in;
    private final List<long[]> slices = new ArrayList<>();
    /** Position just after the varint most recently read. */
    private long afterVarint;

    private RawDataSplicer(MemorySegment in) {
        this.in = in;
    }

    static Result splice(MemorySegment file) {
        RawDataSplicer s = new RawDataSplicer(file);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.rewrite(0, file.byteSize(), Kind.MODEL, out);
        return new Result(out.toByteArray(), s.slices);
    }

    private static Kind child(Kind parent, int field) {
        return switch (parent) {
            case MODEL -> field == 7 ? Kind.GRAPH : field == 25 ? Kind.FUNCTION : null;
            case GRAPH -> field == 1 ? Kind.NODE : field == 5 ? Kind.TENSOR : field == 15 ? Kind.SPARSE : null;
            case NODE -> field == 5 ? Kind.ATTRIBUTE : null;
            case FUNCTION -> field == 7 ? Kind.NODE : field == 11 ? Kind.ATTRIBUTE : null;
            case ATTRIBUTE -> switch (field) {
                case 5, 10 -> Kind.TENSOR;
                case 6, 11 -> Kind.GRAPH;
                case 22, 23 -> Kind.SPARSE;
                default -> null;
            };
            case SPARSE -> field == 1 || field == 2 ? Kind.TENSOR : null;
            case TENSOR -> null;
        };
    }

    private void rewrite(long start, long end, Kind kind, ByteArrayOutputStream out) {
        long pos = start;
        while (pos < end) {
            long fieldStart = pos;
            long tag = readVarint(pos, end);
            pos = afterVarint;
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (field == 0) {
                throw corrupt(fieldStart, "field number 0");
            }
            switch (wireType) {
                case 0 -> {
                    readVarint(pos, end);
                    pos = afterVarint;
                }
                case 1 -> pos += 8;
                case 5 -> pos += 4;
                case 2 -> {
                    long len = readVarint(pos, end);
                    pos = afterVarint;
                    if (len < 0 || len > end - pos) {
                        throw corrupt(fieldStart, "a length of " + len + " runs past the end of its message");
                    }
                    Kind c = child(kind, field);
                    if (kind == Kind.TENSOR && field == 9 && len >= MIN_SPLICE_BYTES) {
                        writeVarint(out, ((long) SPLICE_FIELD << 3));
                        writeVarint(out, slices.size());
                        slices.add(new long[] {pos, len});
                        pos += len;
                        continue;
                    }
                    if (c != null) {
                        ByteArrayOutputStream sub = new ByteArrayOutputStream();
                        rewrite(pos, pos + len, c, sub);
                        writeVarint(out, tag);
                        writeVarint(out, sub.size());
                        out.writeBytes(sub.toByteArray());
                        pos += len;
                        continue;
                    }
                    pos += len;
                }
                default -> throw corrupt(fieldStart, "unsupported wire type " + wireType);
            }
            if (pos > end) {
                throw corrupt(fieldStart, "a field runs past the end of its message");
            }
            copy(fieldStart, pos, out);
        }
    }

    private void copy(long from, long to, ByteArrayOutputStream out) {
        byte[] b = new byte[(int) (to - from)];
        MemorySegment.copy(in, ValueLayout.JAVA_BYTE, from, b, 0, b.length);
        out.write(b, 0, b.length);
    }

    private long readVarint(long pos, long end) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw corrupt(pos, "the data ends inside a number");
            }
            byte b = in.get(ValueLayout.JAVA_BYTE, pos++);
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                afterVarint = pos;
                return result;
            }
        }
        throw corrupt(pos, "a malformed number");
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static ModelFormatException corrupt(long offset, String what) {
        return new ModelFormatException("not a valid ONNX model: " + what + " at byte " + offset
                + " (truncated or corrupt file?)");
    }
}
