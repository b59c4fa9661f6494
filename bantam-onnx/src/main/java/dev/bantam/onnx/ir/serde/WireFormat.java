package dev.bantam.onnx.ir.serde;

import dev.bantam.onnx.io.ModelFormatException;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The bits of the protobuf wire format that the raw-data splicer and expander share: which fields of which
 * ONNX messages can lead to a TensorProto, and varint reading and writing.
 */
final class WireFormat {

    /** The largest legal field number: no ONNX field will ever use it. Marks a lifted raw_data field. */
    static final int SPLICE_FIELD = (1 << 29) - 1;
    static final int RAW_DATA_FIELD = 9;
    /** The next largest legal field number: marks a lifted large doc string. */
    static final int DOC_FIELD = SPLICE_FIELD - 1;
    /** Doc strings at least this long are lifted like raw data: read from the file and written to it in place. */
    static final int LARGE_DOC = 64 << 10;
    /**
     * Messages nested deeper than this are refused, by the splicer and by protobuf's parser alike (an If in an
     * If costs three levels: graph, node, attribute), so every command refuses the same files the same way.
     */
    static final int MAX_NESTING = 1000;

    enum Kind { MODEL, GRAPH, NODE, ATTRIBUTE, TENSOR, SPARSE, FUNCTION }

    private WireFormat() {
    }

    /** The doc_string field number of a message kind whose large doc strings are lifted, or -1. */
    static int docField(Kind kind) {
        return switch (kind) {
            case MODEL, NODE -> 6;
            case GRAPH -> 10;
            default -> -1;
        };
    }

    /** The message kind of length-delimited field {@code field} of a {@code parent}, or null for a leaf. */
    static Kind child(Kind parent, int field) {
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

    /** A cursor over a message's bytes that reads one field header at a time, with bounds checks. */
    static final class Reader {
        final MemorySegment in;
        long pos;
        long fieldStart;
        int field;
        int wireType;
        /** For wire type 0: the value; for wire type 2: the payload length. */
        long value;
        long payloadStart;

        Reader(MemorySegment in, long pos) {
            this.in = in;
            this.pos = pos;
        }

        /** Reads the next field header and skips over its value; {@link #payloadStart} marks it. */
        void next(long end) {
            fieldStart = pos;
            long tag = varint(end);
            field = (int) (tag >>> 3);
            wireType = (int) (tag & 7);
            if (field == 0) {
                throw corrupt(fieldStart, "field number 0");
            }
            switch (wireType) {
                case 0 -> value = varint(end);
                case 1 -> pos += 8;
                case 5 -> pos += 4;
                case 2 -> {
                    value = varint(end);
                    if (value < 0 || value > end - pos) {
                        throw corrupt(fieldStart, "a length of " + value + " runs past the end of its message");
                    }
                    payloadStart = pos;
                    pos += value;
                }
                default -> throw corrupt(fieldStart, "unsupported wire type " + wireType);
            }
            if (pos > end) {
                throw corrupt(fieldStart, "a field runs past the end of its message");
            }
        }

        private long varint(long end) {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw corrupt(pos, "the data ends inside a number");
                }
                byte b = in.get(ValueLayout.JAVA_BYTE, pos++);
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw corrupt(pos, "a malformed number");
        }
    }

    static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7fL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    static byte[] varint(long v) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(10);
        writeVarint(b, v);
        return b.toByteArray();
    }

    static ModelFormatException corrupt(long offset, String what) {
        return new ModelFormatException("not a valid ONNX model: " + what + " at byte " + offset
                + " (truncated or corrupt file?)");
    }
}
