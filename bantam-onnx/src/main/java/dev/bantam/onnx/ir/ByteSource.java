package dev.bantam.onnx.ir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Where external tensor bytes live: a file that is mapped into memory only when a tensor's bytes are first
 * used. Implemented by the I/O layer; the IR only asks for slices.
 */
public interface ByteSource {

    /** The file, absolute and normalized. */
    Path path();

    /** The file's size in bytes, as checked when the model was loaded. */
    long size();

    /** A read-only slice; maps the file on first use. */
    MemorySegment slice(long offset, long length);
}
