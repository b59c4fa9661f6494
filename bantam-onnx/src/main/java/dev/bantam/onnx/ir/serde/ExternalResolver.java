package dev.bantam.onnx.ir.serde;

import dev.bantam.onnx.ir.ExternalLocation;
import dev.bantam.onnx.ir.KeyValue;
import java.util.List;

/** Turns a tensor's {@code external_data} entries into a checked location; supplied by the I/O layer. */
@FunctionalInterface
public interface ExternalResolver {

    ExternalLocation resolve(String tensorName, List<KeyValue> entries, long expectedBytes);

    /** For models read from bytes with no folder: any external reference is an error. */
    ExternalResolver NONE = (name, entries, expected) -> {
        throw new dev.bantam.onnx.io.ExternalDataException("tensor '" + name
                + "' uses external data, but the model was not read from a file");
    };
}
