package dev.bantam.onnx.io;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.KeyValue;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.serde.TensorPlacement;
import dev.bantam.onnx.ops.ShapeInputs;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which initializers of a model go to its external data file, and where in it. Tensors are written in graph
 * order; those of 4 KiB or more start on a 4 KiB boundary so that runtimes can map them directly. Tensors read as
 * shapes, axes or sizes ({@link ShapeInputs}) stay inline unless they were external already: ONNX Runtime reads
 * them while it loads the model and cannot take them from an external file.
 */
final class ExternalPlan implements TensorPlacement {

    private static final int PAGE = 4096;
    private static final int SMALL_ALIGN = 64;
    private static final int CHUNK = 64 << 20;

    private final Path file;
    private final String location;
    private final List<Tensor> order = new ArrayList<>();
    private final Map<Tensor, List<KeyValue>> entries = new IdentityHashMap<>();

    private ExternalPlan(Path file, String location) {
        this.file = file;
        this.location = location;
    }

    /** The plan for saving {@code model} to {@code out}, or null when everything stays inline. */
    static ExternalPlan of(Model model, SaveOptions options, Path out) {
        boolean anyExternal = model.tensorsRecursive().stream().anyMatch(Tensor::isExternal);
        boolean tooBig = ModelIO.inlineTensorBytes(model) > ModelIO.AUTO_EXTERNAL_BYTES;
        if (options.mode() == SaveOptions.Mode.INLINE || (options.mode() == SaveOptions.Mode.KEEP
                && !anyExternal && !tooBig)) {
            return null;
        }
        String name = options.externalFileName() != null ? options.externalFileName().replace('\\', '/')
                : out.getFileName() + ".data";
        ExternalPlan plan = new ExternalPlan(out.getParent().resolve(name).normalize(), name);
        boolean byThreshold = options.mode() == SaveOptions.Mode.EXTERNAL || tooBig;
        for (Graph g : model.graph().graphsRecursive()) {
            for (Value v : g.initializers()) {
                Tensor t = v.initializer();
                if (t.dataType() == DataType.STRING || plan.entries.containsKey(t) || (!t.isExternal() && readsAsShape(v))) {
                    continue;
                }
                if (t.elementCount() == 0) {
                    continue; // nothing to place; ONNX Runtime 1.23 aborts (bad_function_call) running an empty external tensor
                }
                if (t.isExternal() || (byThreshold && t.storedByteSize() >= options.sizeThreshold())) {
                    plan.entries.put(t, List.of());
                    plan.order.add(t);
                }
            }
        }
        return plan.order.isEmpty() ? null : plan;
    }

    /** True when a node reads the value as a shape, axes or sizes: ONNX Runtime needs those inline. */
    private static boolean readsAsShape(Value v) {
        return v.uses().stream().anyMatch(u -> ShapeInputs.isShapeInput(u.node(), u.index()));
    }

    Path file() {
        return file;
    }

    int count() {
        return order.size();
    }

    @Override
    public List<KeyValue> externalEntries(Tensor t) {
        List<KeyValue> e = entries.get(t);
        return e == null || e.isEmpty() ? null : e;
    }

    /** Writes every planned tensor to {@code tmp}; returns the file's size. */
    long write(Path tmp) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long pos = 0;
            for (Tensor t : order) {
                MemorySegment bytes = t.bytes();
                long len = bytes.byteSize();
                long start = align(pos, len >= PAGE ? PAGE : SMALL_ALIGN);
                if (start > pos) {
                    writeFully(ch, ByteBuffer.allocate((int) (start - pos)), pos);
                }
                for (long off = 0; off < len; off += CHUNK) {
                    long n = Math.min(CHUNK, len - off);
                    writeFully(ch, bytes.asSlice(off, n).asByteBuffer(), start + off);
                }
                pos = start + len;
                t.dropPages(); // a mapped input's pages leave this process once copied
                entries.put(t, List.of(new KeyValue("location", location),
                        new KeyValue("offset", Long.toString(start)), new KeyValue("length", Long.toString(len))));
            }
            ch.force(true);
            return pos;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            p += ch.write(buf, p);
        }
    }

    private static long align(long pos, int alignment) {
        return (pos + alignment - 1) / alignment * alignment;
    }
}
