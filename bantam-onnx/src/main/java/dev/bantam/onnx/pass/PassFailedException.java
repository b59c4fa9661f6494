package dev.bantam.onnx.pass;

/** A pass threw: the message names the pass and what went wrong. */
public class PassFailedException extends RuntimeException {

    private final String pass;

    public PassFailedException(String pass, Throwable cause) {
        super("pass '" + pass + "' failed: " + cause.getMessage(), cause);
        this.pass = pass;
    }

    public String pass() {
        return pass;
    }
}
