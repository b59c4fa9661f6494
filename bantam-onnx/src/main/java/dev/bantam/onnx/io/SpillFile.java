package dev.bantam.onnx.io;

import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.TensorData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where tensors made during compression wait for the model to be saved, outside the Java heap: each is appended
 * to one temporary file and read back through a mapping of its own region, so memory holds only the pages being
 * read or written (saving drops them again). The file is unlinked as soon as it is created: the open channel and
 * the mappings keep it alive, and nothing is left behind when the process ends, however it ends.
 */
public final class SpillFile {

    /** Tensors smaller than this stay on the heap. */
    public static final long THRESHOLD = 1 << 20;
    private static final long ALIGN = 4096;

    private static SpillFile shared;

    private final FileChannel channel;
    private long size;

    private SpillFile(FileChannel channel) {
        this.channel = channel;
    }

    /** The process's spill file, created in the temporary directory on first use. */
    public static synchronized SpillFile shared() {
        if (shared == null) {
            try {
                Path p = Files.createTempFile("bantam-spill-", ".bin");
                FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
                Files.delete(p);
                shared = new SpillFile(ch);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary file for tensors being made", e);
            }
        }
        return shared;
    }

    /**
     * {@code t} with its bytes moved here (as raw data) when it is large and held in memory (raw or typed fields);
     * otherwise {@code t} itself.
     */
    public synchronized Tensor spill(Tensor t) {
        boolean inMemory = t.data() instanceof TensorData.Raw || t.data() instanceof TensorData.Fields;
        if (!inMemory || t.storedByteSize() < THRESHOLD || t.bytes().isMapped()) {
            return t;
        }
        MemorySegment bytes = t.bytes();
        long len = bytes.byteSize();
        long start = (size + ALIGN - 1) / ALIGN * ALIGN;
        try {
            long p = start;
            var buf = bytes.asByteBuffer();
            while (buf.hasRemaining()) {
                p += channel.write(buf, p);
            }
            size = start + len;
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, start, len, Arena.ofAuto()).asReadOnly();
            return t.withData(new TensorData.Raw(mapped));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the temporary file for tensors being made", e);
        }
    }
}
