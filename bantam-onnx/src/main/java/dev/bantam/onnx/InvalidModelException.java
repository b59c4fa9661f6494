package dev.bantam.onnx;

/**
 * A model that cannot be used as given: malformed bytes, unsafe or broken external data, or a graph the
 * checker rejects. The message is one line that says what is wrong and where.
 */
public class InvalidModelException extends RuntimeException {

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
