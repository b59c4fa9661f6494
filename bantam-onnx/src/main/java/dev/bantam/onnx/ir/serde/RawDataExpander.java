package dev.bantam.onnx.ir.serde;

import dev.bantam.onnx.ir.serde.WireFormat.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a serialized ModelProto whose TensorProtos carry splice markers instead of raw_data, streaming each
 * marked tensor's bytes from its segment into a raw_data field and fixing the lengths of every enclosing
 * message. protobuf-java 4.36 copies any non-heap buffer it wraps, so this is how tensors held in mapped or
 * off-heap memory reach the file without a heap copy.
 */
final class RawDataExpander {

    private static final int CHUNK = 1 << 20;

    private final MemorySegment message;
    private final byte[] bytes;
    private final List<MemorySegment> segments;
    private final Map<Long, Long> sizes = new HashMap<>();
    private final byte[] buffer = new byte[CHUNK];

    private RawDataExpander(byte[] message, List<MemorySegment> segments) {
        this.message = MemorySegment.ofArray(message);
        this.bytes = message;
        this.segments = segments;
    }

    /** The expanded size of {@code message}, computed without writing. */
    static long size(byte[] message, List<MemorySegment> segments) {
        return new RawDataExpander(message, segments).size(0, message.length, Kind.MODEL);
    }

    static void write(byte[] message, List<MemorySegment> segments, OutputStream out) throws IOException {
        RawDataExpander e = new RawDataExpander(message, segments);
        e.write(0, message.length, Kind.MODEL, out);
    }

    private long size(long start, long end, Kind kind) {
        Long known = sizes.get(start);
        if (known != null) {
            return known;
        }
        long n = 0;
        WireFormat.Reader r = new WireFormat.Reader(message, start);
        while (r.pos < end) {
            r.next(end);
            if (kind == Kind.TENSOR && r.field == WireFormat.SPLICE_FIELD && r.wireType == 0) {
                long len = segments.get((int) r.value).byteSize();
                n += 1 + WireFormat.varintSize(len) + len;
                continue;
            }
            if (r.field == WireFormat.DOC_FIELD && r.wireType == 0 && WireFormat.docField(kind) > 0) {
                long len = segments.get((int) r.value).byteSize();
                n += WireFormat.varintSize(((long) WireFormat.docField(kind) << 3) | 2) + WireFormat.varintSize(len) + len;
                continue;
            }
            Kind c = r.wireType == 2 ? WireFormat.child(kind, r.field) : null;
            if (c != null) {
                long sub = size(r.payloadStart, r.payloadStart + r.value, c);
                n += WireFormat.varintSize(((long) r.field << 3) | 2) + WireFormat.varintSize(sub) + sub;
            } else {
                n += r.pos - r.fieldStart;
            }
        }
        sizes.put(start, n);
        return n;
    }

    private void write(long start, long end, Kind kind, OutputStream out) throws IOException {
        WireFormat.Reader r = new WireFormat.Reader(message, start);
        while (r.pos < end) {
            r.next(end);
            if (kind == Kind.TENSOR && r.field == WireFormat.SPLICE_FIELD && r.wireType == 0) {
                MemorySegment seg = segments.get((int) r.value);
                out.write(WireFormat.varint(((long) WireFormat.RAW_DATA_FIELD << 3) | 2));
                out.write(WireFormat.varint(seg.byteSize()));
                copy(seg, out);
                continue;
            }
            if (r.field == WireFormat.DOC_FIELD && r.wireType == 0 && WireFormat.docField(kind) > 0) {
                MemorySegment seg = segments.get((int) r.value);
                out.write(WireFormat.varint(((long) WireFormat.docField(kind) << 3) | 2));
                out.write(WireFormat.varint(seg.byteSize()));
                copy(seg, out);
                continue;
            }
            Kind c = r.wireType == 2 ? WireFormat.child(kind, r.field) : null;
            if (c != null) {
                out.write(WireFormat.varint(((long) r.field << 3) | 2));
                out.write(WireFormat.varint(size(r.payloadStart, r.payloadStart + r.value, c)));
                write(r.payloadStart, r.payloadStart + r.value, c, out);
            } else {
                out.write(bytes, (int) r.fieldStart, (int) (r.pos - r.fieldStart)); // from the skeleton itself: no copy
            }
        }
    }

    private void copy(MemorySegment seg, OutputStream out) throws IOException {
        long len = seg.byteSize();
        for (long off = 0; off < len; off += CHUNK) {
            int n = (int) Math.min(CHUNK, len - off);
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off, buffer, 0, n);
            out.write(buffer, 0, n);
        }
        if (seg.isMapped() && len > 0) {
            seg.unload(); // a mapped tensor's pages leave this process once written
        }
    }
}
