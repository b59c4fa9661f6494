package dev.bantam.onnx.ir;

/** A string key-value pair, as in {@code metadata_props}; either side may be null when absent in the file. */
public record KeyValue(String key, String value) {
}
