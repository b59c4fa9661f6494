package dev.bantam.onnx.pass;

import java.util.List;

/** Whether a pass changed the model, and a line per thing it did (or declined to do, and why). */
public record PassResult(boolean changed, List<String> notes) {

    public PassResult {
        notes = List.copyOf(notes);
    }

    public static PassResult unchanged() {
        return new PassResult(false, List.of());
    }

    public static PassResult of(List<String> notes) {
        return new PassResult(!notes.isEmpty(), notes);
    }
}
