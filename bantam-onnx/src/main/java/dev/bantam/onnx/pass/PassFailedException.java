package dev.bantam.onnx.pass;

/** A pass threw: the message names the pass and what went wrong. */
public class PassFailedException extends RuntimeException {

    private final String pass;

    public PassFailedException(String pass, Throwable cause) {
        super("pass '" + pass + "' " + reason(cause), cause);
        this.pass = pass;
    }

    /**
     * A deliberate refusal (IllegalArgumentException, UnsupportedOperationException, IllegalStateException) says
     * why in its own words; anything else is a bug in the pass, and its raw text (an index, a class name) would
     * mean nothing to the user.
     */
    private static String reason(Throwable cause) {
        boolean deliberate = cause instanceof IllegalArgumentException || cause instanceof UnsupportedOperationException
                || cause instanceof IllegalStateException;
        if (deliberate && cause.getMessage() != null && !cause.getMessage().isBlank()) {
            return "failed: " + cause.getMessage();
        }
        return "failed on this model with an internal error (a bug in Bantam; please report it with the model)";
    }

    public String pass() {
        return pass;
    }
}
