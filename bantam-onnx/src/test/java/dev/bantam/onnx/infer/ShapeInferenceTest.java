package dev.bantam.onnx.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Dim;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import dev.bantam.onnx.testing.Ort;
import dev.bantam.onnx.testing.RealModels;
import dev.bantam.onnx.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inferred types and shapes never contradict what ONNX Runtime actually produces, on every backend node
 * test it can run; the test reports how many outputs were fully inferred.
 */
class ShapeInferenceTest {

    @Test
    void inferenceAgreesWithOnnxRuntimeOnTheNodeTests() throws Exception {
        Path root = TestData.backendSuite().resolve("node");
        List<Path> models;
        try (Stream<Path> s = Files.list(root)) {
            models = s.map(p -> p.resolve("model.onnx")).filter(Files::exists).sorted().toList();
        }
        List<String> contradictions = new ArrayList<>();
        int outputs = 0;
        int inferred = 0;
        for (Path p : models) {
            Model m = ModelIO.load(p);
            Map<String, Tensor> feeds = feeds(m, p);
            if (feeds == null) {
                continue;
            }
            Map<String, Ort.Output> actual;
            try {
                actual = Ort.run(p, feeds);
            } catch (Exception e) {
                continue;
            }
            for (Value out : m.graph().outputs()) {
                if (out.producer() != null) {
                    out.setType(null);
                }
            }
            new ShapeInference().run(m);
            for (Value out : m.graph().outputs()) {
                Ort.Output a = actual.get(out.name());
                if (a == null || out.producer() == null) {
                    continue;
                }
                outputs++;
                if (!(out.type() instanceof ValueType.TensorType t)) {
                    continue;
                }
                String why = contradiction(t, a);
                if (why != null) {
                    contradictions.add(p.getParent().getFileName() + " output " + out.name() + ": " + why);
                } else if (t.shape() != null && t.shape().isStatic()) {
                    inferred++;
                }
            }
        }
        System.out.printf("shape inference: %d of %d node-test outputs fully inferred%n", inferred, outputs);
        assertEquals(List.of(), contradictions);
        assertTrue(inferred > outputs / 2, inferred + " of " + outputs);
    }

    @Test
    void miniLmCarriesSymbolicDimensionsThrough(@TempDir Path dir) throws Exception {
        Model m = ModelIO.load(RealModels.minilm(dir).model());
        new ShapeInference().run(m);
        long typed = m.graph().nodes().stream().flatMap(n -> n.outputs().stream())
                .filter(v -> v != null && v.type() != null).count();
        long all = m.graph().nodes().stream().flatMap(n -> n.outputs().stream()).filter(v -> v != null).count();
        assertEquals(all, typed, "every value of MiniLM gets a type");
        Value firstMatMul = m.graph().nodes().stream().filter(n -> n.isStandard("MatMul")).findFirst().orElseThrow().output(0);
        var shape = ((ValueType.TensorType) firstMatMul.type()).shape();
        assertEquals(Dim.of("batch_size"), shape.dims().get(0), "the symbolic batch dimension survives");
        assertEquals(Dim.of(384), shape.dims().get(2));
    }

    private static String contradiction(ValueType.TensorType t, Ort.Output a) {
        if (t.elementType() != a.type()) {
            return "type " + t.elementType() + ", actually " + a.type();
        }
        if (t.shape() == null) {
            return null;
        }
        if (t.shape().rank() != a.shape().length) {
            return "shape " + t.shape() + ", actually rank " + a.shape().length;
        }
        for (int i = 0; i < a.shape().length; i++) {
            if (t.shape().dims().get(i) instanceof Dim.Fixed f && f.value() != a.shape()[i]) {
                return "shape " + t.shape() + ", actually " + java.util.Arrays.toString(a.shape());
            }
        }
        return null;
    }

    private static Map<String, Tensor> feeds(Model m, Path model) throws Exception {
        List<Value> ins = m.graph().inputs().stream().filter(v -> v.initializer() == null).toList();
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (int i = 0; i < ins.size(); i++) {
            Path f = model.resolveSibling("test_data_set_0").resolve("input_" + i + ".pb");
            if (!(ins.get(i).type() instanceof ValueType.TensorType) || !Files.exists(f)) {
                return null;
            }
            feeds.put(ins.get(i).name(), OnnxSerde.readTensor(Files.readAllBytes(f)));
        }
        return feeds;
    }
}
