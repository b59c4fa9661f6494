package dev.bantam.onnx.io;

import dev.bantam.onnx.InvalidModelException;

/**
 * A tensor's external data cannot be used safely: its path escapes the model's folder, its file is
 * missing, or its offset and length lie outside the file.
 */
public class ExternalDataException extends InvalidModelException {

    public ExternalDataException(String message) {
        super(message);
    }
}
