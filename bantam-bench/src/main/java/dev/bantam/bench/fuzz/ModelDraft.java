package dev.bantam.bench.fuzz;

import dev.bantam.onnx.ir.serde.proto.Onnx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A model being generated: the protobuf message, files beside it (external data), and the steps taken. */
final class ModelDraft {

    final Onnx.ModelProto.Builder model;
    final Map<String, byte[]> sidecars = new LinkedHashMap<>();
    final List<String> steps = new ArrayList<>();

    ModelDraft(String base, Onnx.ModelProto.Builder model) {
        this.model = model;
        steps.add(base);
    }

    Onnx.GraphProto.Builder graph() {
        return model.getGraphBuilder();
    }
}
