package dev.bantam.runtime;

/**
 * Data that does not fit the model or cannot be read: a missing file, a label count that disagrees, an
 * input whose name, type or shape the model does not expect. The message is one line naming the input.
 */
public class DataException extends RuntimeException {

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
