package dev.bantam.onnx.io;

import dev.bantam.onnx.InvalidModelException;

/** The file is not a well-formed ONNX model: truncated, corrupt, or not protobuf at all. */
public class ModelFormatException extends InvalidModelException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
