package dev.bantam.onnx.check;

import dev.bantam.onnx.InvalidModelException;

/** The checker found errors; {@link #report()} lists them all. */
public class ModelCheckException extends InvalidModelException {

    private final transient CheckReport report;

    public ModelCheckException(CheckReport report, String message) {
        super(message);
        this.report = report;
    }

    public CheckReport report() {
        return report;
    }
}
