package dev.bantam.onnx.ir;

/** One use of a value: input number {@code index} of {@code node}. */
public record Usage(Node node, int index) {
}
