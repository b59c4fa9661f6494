package dev.bantam.onnx.ir;

import java.util.List;

/**
 * A tensor stored outside the model file: the {@code external_data} entries as written in the file, and the
 * checked source they resolve to. {@code offset} and {@code length} are null when the file omits them
 * (offset 0, length to end of file).
 */
public record ExternalLocation(String location, Long offset, Long length, List<KeyValue> entries,
                               ByteSource source) {

    public ExternalLocation {
        entries = List.copyOf(entries);
    }

    public long effectiveOffset() {
        return offset == null ? 0 : offset;
    }

    public long effectiveLength() {
        return length == null ? source.size() - effectiveOffset() : length;
    }
}
