package dev.bantam.onnx.reference;

/** An evaluation refused because its result would hold more elements than the caller allows. */
public final class ResultTooLargeException extends IllegalArgumentException {

    public ResultTooLargeException(String message) {
        super(message);
    }
}
