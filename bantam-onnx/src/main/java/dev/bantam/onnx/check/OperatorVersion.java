package dev.bantam.onnx.check;

import java.util.Map;

/**
 * One version of a standard operator, from its {@code since} opset until the operator's next version: the input
 * and output counts a node may have and the attributes it may carry. {@code deprecated}: the operator may not be
 * used from this version on. {@code unchecked}: the operator exists, nothing else about it is checked.
 */
record OperatorVersion(String name, int since, int minInputs, int maxInputs, int minOutputs, int maxOutputs,
                       Map<String, AttributeSpec> attributes, boolean deprecated, boolean unchecked) {

    OperatorVersion {
        attributes = Map.copyOf(attributes);
    }

    /** "Conv-11": the name ONNX Runtime gives a schema version. */
    String label() {
        return name + "-" + since;
    }
}
