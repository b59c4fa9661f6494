package dev.bantam.onnx.ir.serde;

import dev.bantam.onnx.io.ModelFormatException;
import dev.bantam.onnx.ir.serde.WireFormat.Kind;
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
 * The index travels as an unknown varint field ({@link WireFormat#SPLICE_FIELD}) that the reader removes; a
 * tensor in the file that carries that field number itself is refused. Doc strings of models, graphs and nodes
 * of at least {@link WireFormat#LARGE_DOC} bytes are lifted the same way ({@link WireFormat#DOC_FIELD}), so the
 * reader decodes them straight from the file.
 *
 * <p>Two passes: the first measures every rewritten message (and checks nesting and the marker), the second
 * writes the result into one array of exactly that size, so each byte of the file is copied once however deep
 * it is nested (a 20 MB doc string used to be copied at every level).
 */
final class RawDataSplicer {

    /** raw_data shorter than this stays in the message. */
    static final int MIN_SPLICE_BYTES = 128;

    /** Offsets and lengths (in the input segment) of the lifted raw_data fields, by splice index. */
    record Result(byte[] message, List<long[]> slices) {
    }

    private final MemorySegment in;
    private final List<long[]> slices = new ArrayList<>();
    /** Rewritten sizes of the nested messages, in the order both passes meet them. */
    private long[] sizes = new long[64];
    private int sizeCount;
    private int nextSize;
    private byte[] out;
    private int pos;
    private int nextSlice;

    private RawDataSplicer(MemorySegment in) {
        this.in = in;
    }

    static Result splice(MemorySegment file) {
        RawDataSplicer s = new RawDataSplicer(file);
        long n = s.size(0, file.byteSize(), Kind.MODEL, 1);
        if (n > Integer.MAX_VALUE - 8) {
            throw new ModelFormatException("the model's structure (without its large tensors) is " + n
                    + " bytes, over protobuf's 2 GB limit");
        }
        s.out = new byte[(int) n];
        s.write(0, file.byteSize(), Kind.MODEL);
        return new Result(s.out, s.slices);
    }

    /** The marker field that replaces this field (a large raw_data or doc string), or 0 to keep it. */
    private static int marker(Kind kind, WireFormat.Reader r) {
        if (r.wireType != 2) {
            return 0;
        }
        if (kind == Kind.TENSOR && r.field == WireFormat.RAW_DATA_FIELD && r.value >= MIN_SPLICE_BYTES) {
            return WireFormat.SPLICE_FIELD;
        }
        return r.field == WireFormat.docField(kind) && r.value >= WireFormat.LARGE_DOC ? WireFormat.DOC_FIELD : 0;
    }

    private long size(long start, long end, Kind kind, int depth) {
        if (depth > WireFormat.MAX_NESTING) {
            throw WireFormat.corrupt(start, "messages nested more than " + WireFormat.MAX_NESTING + " levels deep");
        }
        long n = 0;
        WireFormat.Reader r = new WireFormat.Reader(in, start);
        while (r.pos < end) {
            r.next(end);
            if (r.field == WireFormat.SPLICE_FIELD || r.field == WireFormat.DOC_FIELD) {
                throw new ModelFormatException("not a valid ONNX model: " + (kind == Kind.TENSOR ? "a tensor" : "a message")
                        + " at byte " + r.fieldStart + " carries field number " + r.field
                        + ", which no ONNX version defines and Bantam reserves for its own use");
            }
            int marker = marker(kind, r);
            if (marker != 0) {
                n += WireFormat.varintSize((long) marker << 3) + WireFormat.varintSize(slices.size());
                slices.add(new long[] {r.payloadStart, r.value});
                continue;
            }
            Kind c = r.wireType == 2 ? WireFormat.child(kind, r.field) : null;
            if (c != null) {
                int slot = sizeCount++;
                if (slot == sizes.length) {
                    sizes = java.util.Arrays.copyOf(sizes, slot * 2);
                }
                long sub = size(r.payloadStart, r.payloadStart + r.value, c, depth + 1);
                sizes[slot] = sub;
                n += WireFormat.varintSize(((long) r.field << 3) | 2) + WireFormat.varintSize(sub) + sub;
            } else {
                n += r.pos - r.fieldStart;
            }
        }
        return n;
    }

    private void write(long start, long end, Kind kind) {
        WireFormat.Reader r = new WireFormat.Reader(in, start);
        while (r.pos < end) {
            r.next(end);
            int marker = marker(kind, r);
            if (marker != 0) {
                varint((long) marker << 3);
                varint(nextSlice++);
                continue;
            }
            Kind c = r.wireType == 2 ? WireFormat.child(kind, r.field) : null;
            if (c != null) {
                varint(((long) r.field << 3) | 2);
                varint(sizes[nextSize++]);
                write(r.payloadStart, r.payloadStart + r.value, c);
            } else {
                int len = (int) (r.pos - r.fieldStart);
                MemorySegment.copy(in, ValueLayout.JAVA_BYTE, r.fieldStart, out, pos, len);
                pos += len;
            }
        }
    }

    private void varint(long v) {
        while ((v & ~0x7fL) != 0) {
            out[pos++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out[pos++] = (byte) v;
    }
}
