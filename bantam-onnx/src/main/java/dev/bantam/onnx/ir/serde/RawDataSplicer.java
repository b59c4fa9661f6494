package dev.bantam.onnx.ir.serde;

import dev.bantam.onnx.ir.serde.WireFormat.Kind;
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
 * The index travels as an unknown varint field ({@link WireFormat#SPLICE_FIELD}) that the reader removes.
 * {@link RawDataExpander} does the reverse when writing.
 */
final class RawDataSplicer {

    /** raw_data shorter than this stays in the message. */
    static final int MIN_SPLICE_BYTES = 128;

    /** Offsets and lengths (in the input segment) of the lifted raw_data fields, by splice index. */
    record Result(byte[] message, List<long[]> slices) {
    }

    private final MemorySegment in;
    private final List<long[]> slices = new ArrayList<>();

    private RawDataSplicer(MemorySegment in) {
        this.in = in;
    }

    static Result splice(MemorySegment file) {
        RawDataSplicer s = new RawDataSplicer(file);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.rewrite(0, file.byteSize(), Kind.MODEL, out, 1);
        return new Result(out.toByteArray(), s.slices);
    }

    private void rewrite(long start, long end, Kind kind, ByteArrayOutputStream out, int depth) {
        if (depth > WireFormat.MAX_NESTING) {
            throw WireFormat.corrupt(start, "messages nested more than " + WireFormat.MAX_NESTING + " levels deep");
        }
        WireFormat.Reader r = new WireFormat.Reader(in, start);
        while (r.pos < end) {
            r.next(end);
            if (kind == Kind.TENSOR && r.field == WireFormat.SPLICE_FIELD) {
                throw new dev.bantam.onnx.io.ModelFormatException("not a valid ONNX model: a tensor at byte "
                        + r.fieldStart + " carries field number " + WireFormat.SPLICE_FIELD
                        + ", which no ONNX version defines and Bantam reserves for its own use");
            }
            if (r.wireType == 2) {
                if (kind == Kind.TENSOR && r.field == WireFormat.RAW_DATA_FIELD && r.value >= MIN_SPLICE_BYTES) {
                    WireFormat.writeVarint(out, (long) WireFormat.SPLICE_FIELD << 3);
                    WireFormat.writeVarint(out, slices.size());
                    slices.add(new long[] {r.payloadStart, r.value});
                    continue;
                }
                Kind c = WireFormat.child(kind, r.field);
                if (c != null) {
                    ByteArrayOutputStream sub = new ByteArrayOutputStream();
                    rewrite(r.payloadStart, r.payloadStart + r.value, c, sub, depth + 1);
                    WireFormat.writeVarint(out, ((long) r.field << 3) | 2);
                    WireFormat.writeVarint(out, sub.size());
                    out.writeBytes(sub.toByteArray());
                    continue;
                }
            }
            byte[] b = new byte[(int) (r.pos - r.fieldStart)];
            MemorySegment.copy(in, ValueLayout.JAVA_BYTE, r.fieldStart, b, 0, b.length);
            out.writeBytes(b);
        }
    }
}
