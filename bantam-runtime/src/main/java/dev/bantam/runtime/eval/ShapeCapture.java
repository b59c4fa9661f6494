package dev.bantam.runtime.eval;

import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import dev.bantam.runtime.InferenceSession;
import dev.bantam.runtime.RuntimeOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Captures intermediate tensors by exposing node outputs as graph outputs, then running the model once
 * without ONNX Runtime's optimizations (which would fuse some values away). Used for shapes (operation
 * counts) and, later, calibration and per-layer error reports.
 */
public final class ShapeCapture {

    private ShapeCapture() {
    }

    /** Every captured value, by name, for one batch of feeds. */
    public static Map<String, Tensor> capture(Path modelPath, Map<String, Tensor> feeds, List<String> names)
            throws IOException {
        Model m = ModelIO.load(modelPath);
        java.util.Set<String> existing = new java.util.HashSet<>();
        m.graph().outputs().forEach(v -> existing.add(v.name()));
        for (Node n : m.graph()) {
            for (Value out : n.outputs()) {
                if (out != null && !existing.contains(out.name()) && (names == null || names.contains(out.name()))) {
                    m.graph().addOutput(out);
                    existing.add(out.name());
                }
            }
        }
        try (InferenceSession s = InferenceSession.open(OnnxSerde.toBytes(m), new RuntimeOptions(1, 1, false))) {
            return s.run(feeds);
        }
    }

    public static Map<String, long[]> shapes(Path modelPath, Map<String, Tensor> feeds) throws IOException {
        Map<String, long[]> out = new HashMap<>();
        capture(modelPath, feeds, null).forEach((k, v) -> out.put(k, v.dims()));
        return out;
    }
}
