package dev.bantam.onnx.ir.serde;

import com.google.protobuf.UnknownFieldSet;
import dev.bantam.onnx.io.ModelFormatException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Large doc strings of models, graphs and nodes, lifted out of the message by the splicer and put back by the
 * expander ({@link WireFormat#DOC_FIELD}), so a 20 MB doc string is decoded once straight from the file and
 * encoded once straight to it, not copied through protobuf's messages and arrays.
 */
final class LargeDocs {

    private static final int CHUNK = 1 << 20;

    private LargeDocs() {
    }

    /** The doc string: lifted (the marker in {@code unknown}) or as protobuf parsed it; null when absent. */
    static String read(boolean has, String parsed, UnknownFieldSet unknown, List<MemorySegment> slices) {
        if (!unknown.hasField(WireFormat.DOC_FIELD)) {
            return has ? parsed : null;
        }
        List<Long> marks = unknown.getField(WireFormat.DOC_FIELD).getVarintList();
        long index = marks.isEmpty() ? -1 : marks.getLast();
        if (index < 0 || index >= slices.size()) {
            throw new ModelFormatException("not a valid ONNX model: a doc string marker points nowhere");
        }
        return decode(slices.get((int) index));
    }

    /** {@code unknown} without the marker. */
    static UnknownFieldSet strip(UnknownFieldSet unknown) {
        return unknown.hasField(WireFormat.DOC_FIELD)
                ? UnknownFieldSet.newBuilder(unknown).clearField(WireFormat.DOC_FIELD).build() : unknown;
    }

    /**
     * Sets {@code doc} on the message being built: small ones as the field itself, large ones as a marker whose
     * UTF-8 bytes join the writer's splices, streamed into place by the expander.
     */
    static void write(String doc, com.google.protobuf.Message.Builder b, java.util.function.Consumer<String> set,
                      List<MemorySegment> splices) {
        if (doc == null) {
            return;
        }
        if (doc.length() < WireFormat.LARGE_DOC) {
            set.accept(doc);
            return;
        }
        b.mergeUnknownFields(UnknownFieldSet.newBuilder().addField(WireFormat.DOC_FIELD,
                UnknownFieldSet.Field.newBuilder().addVarint(splices.size()).build()).build());
        splices.add(MemorySegment.ofArray(doc.getBytes(StandardCharsets.UTF_8)));
    }

    /** UTF-8 (malformed bytes replaced, as protobuf does) decoded a chunk at a time from the mapped file. */
    static String decode(MemorySegment bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        StringBuilder out = new StringBuilder((int) Math.min(bytes.byteSize(), Integer.MAX_VALUE - 8));
        CharBuffer chars = CharBuffer.allocate(CHUNK);
        ByteBuffer pending = ByteBuffer.allocate(0);
        for (long off = 0; off < bytes.byteSize(); off += CHUNK) {
            MemorySegment chunk = bytes.asSlice(off, Math.min(CHUNK, bytes.byteSize() - off));
            ByteBuffer in = join(pending, chunk.asByteBuffer());
            boolean last = off + chunk.byteSize() >= bytes.byteSize();
            while (d.decode(in, chars, last).isOverflow()) {
                drain(chars, out);
            }
            drain(chars, out);
            pending = in.hasRemaining() ? ByteBuffer.allocate(in.remaining()).put(in).flip() : ByteBuffer.allocate(0);
            if (chunk.isMapped()) {
                chunk.unload();
            }
        }
        while (d.flush(chars).isOverflow()) {
            drain(chars, out);
        }
        drain(chars, out);
        return out.toString();
    }

    private static ByteBuffer join(ByteBuffer pending, ByteBuffer next) {
        if (!pending.hasRemaining()) {
            return next;
        }
        return ByteBuffer.allocate(pending.remaining() + next.remaining()).put(pending).put(next).flip();
    }

    private static void drain(CharBuffer chars, StringBuilder out) {
        chars.flip();
        out.append(chars);
        chars.clear();
    }
}
