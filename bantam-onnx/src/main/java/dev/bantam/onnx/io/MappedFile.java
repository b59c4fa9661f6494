package dev.bantam.onnx.io;

import dev.bantam.onnx.ir.ByteSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only file mapped into memory on first use. The mapping lives as long as any slice of it is
 * reachable; nothing is read from disk until a slice's bytes are touched.
 */
public final class MappedFile implements ByteSource {

    private final Path path;
    private final long size;
    private volatile MemorySegment mapping;

    public MappedFile(Path path, long size) {
        this.path = path;
        this.size = size;
    }

    /** Maps {@code path} now; used for the model file itself. */
    public static MemorySegment map(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long n = ch.size();
            if (n == 0) {
                return MemorySegment.ofArray(new byte[0]);
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, n, Arena.ofAuto()).asReadOnly();
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public long size() {
        return size;
    }

    /** True once some tensor's bytes were asked for; loading alone never maps the file. */
    public boolean isMapped() {
        return mapping != null;
    }

    @Override
    public MemorySegment slice(long offset, long length) {
        MemorySegment m = mapping;
        if (m == null) {
            synchronized (this) {
                m = mapping;
                if (m == null) {
                    try {
                        m = map(path);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read external data file " + path, e);
                    }
                    if (m.byteSize() < size) {
                        throw new ExternalDataException("external data file " + path + " shrank from " + size
                                + " to " + m.byteSize() + " bytes since the model was loaded");
                    }
                    mapping = m;
                }
            }
        }
        return m.asSlice(offset, length);
    }
}
