package dev.bantam.onnx.ir.serde;

import dev.bantam.onnx.ir.KeyValue;
import dev.bantam.onnx.ir.Tensor;
import java.util.List;

/** Decides, while writing, which initializers go to external data and with which entries. */
@FunctionalInterface
public interface TensorPlacement {

    /** The external_data entries for {@code t}, or null to write it inline. */
    List<KeyValue> externalEntries(Tensor t);

    TensorPlacement INLINE = t -> null;
}
