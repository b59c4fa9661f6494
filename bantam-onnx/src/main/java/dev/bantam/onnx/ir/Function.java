package dev.bantam.onnx.ir;

import java.util.List;

/**
 * A model-local function: a body graph (inputs and outputs untyped), the attributes it declares with their
 * defaults, and its own opset imports. Nodes call it by (domain, name, overload).
 */
public record Function(String domain, String name, String overload, Graph body, List<String> attributeNames,
                       List<Attribute> attributeDefaults, List<OpsetId> opsetImports, String docString,
                       List<KeyValue> metadata, OpaqueMessage unknownFields) {

    public Function {
        attributeNames = List.copyOf(attributeNames);
        attributeDefaults = List.copyOf(attributeDefaults);
        opsetImports = List.copyOf(opsetImports);
        metadata = List.copyOf(metadata);
    }
}
