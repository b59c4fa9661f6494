package dev.bantam.onnx.check;

/**
 * One finding of the checker: how bad it is, where it is (graph and node), and what is wrong.
 */
public record Issue(Severity severity, String where, String message) {

    public enum Severity { ERROR, WARNING }

    @Override
    public String toString() {
        return where + ": " + message;
    }
}
