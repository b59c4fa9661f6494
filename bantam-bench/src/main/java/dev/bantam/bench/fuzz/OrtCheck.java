package dev.bantam.bench.fuzz;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;

/** Whether ONNX Runtime creates a session for a model (one thread, default optimizations). */
final class OrtCheck {

    private OrtCheck() {
    }

    /** Null when the model loads, else ONNX Runtime's first line of why. */
    static String loadError(Path model) {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            o.setInterOpNumThreads(1);
            try (OrtSession s = OrtEnvironment.getEnvironment().createSession(model.toString(), o)) {
                return null;
            }
        } catch (OrtException | RuntimeException e) {
            String m = String.valueOf(e.getMessage());
            return m.lines().findFirst().orElse(m);
        }
    }
}
