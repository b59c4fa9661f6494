package dev.bantam.onnx.ir.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.TextFormat;
import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.io.SaveOptions;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.serde.proto.Onnx;
import dev.bantam.onnx.testing.Ort;
import dev.bantam.onnx.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every model of the ONNX backend test suite loads into the IR and saves back as the same message, and
 * both the original and the round-tripped model give the suite's expected outputs in ONNX Runtime.
 */
class BackendSuiteTest {

    private static final double RTOL = 1e-3;
    private static final double ATOL = 1e-7;

    enum Outcome { PASS, ORT_CANNOT_RUN, ORT_DISAGREES_WITH_EXPECTED, FAIL }

    record CaseResult(String name, Outcome outcome, String reason) {
    }

    @Test
    void everyModelRoundTripsAndRunsTheSame(@TempDir Path tmp) throws Exception {
        Path root = TestData.backendSuite();
        List<Path> models;
        try (Stream<Path> s = Files.walk(root)) {
            models = s.filter(p -> p.getFileName().toString().equals("model.onnx")).sorted().toList();
        }
        assertTrue(models.size() > 1000, "expected the whole suite, found " + models.size() + " models");
        List<CaseResult> results = new ArrayList<>();
        for (Path m : models) {
            results.add(runCase(root, m, tmp));
        }
        Map<Outcome, Integer> counts = new TreeMap<>();
        results.forEach(r -> counts.merge(r.outcome(), 1, Integer::sum));
        StringBuilder report = new StringBuilder("ONNX backend suite: " + models.size() + " models: " + counts + "\n");
        for (CaseResult r : results) {
            if (r.outcome() != Outcome.PASS) {
                report.append(r.outcome()).append(' ').append(r.name()).append(": ").append(r.reason()).append('\n');
            }
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "backend-suite-report.txt"), report);
        System.out.println(report.toString().lines().findFirst().orElse(""));
        List<CaseResult> failures = results.stream().filter(r -> r.outcome() == Outcome.FAIL).toList();
        assertEquals(List.of(), failures, "round trip failures (full report in target/backend-suite-report.txt)");
    }

    private CaseResult runCase(Path root, Path modelPath, Path tmp) throws IOException {
        String name = root.relativize(modelPath.getParent()).toString();
        byte[] original = Files.readAllBytes(modelPath);
        Path rt = tmp.resolve("rt.onnx");
        try {
            Model model = ModelIO.load(modelPath);
            var report = ModelChecker.check(model);
            if (report.hasErrors()) {
                return new CaseResult(name, Outcome.FAIL, "checker: " + report.errors().getFirst());
            }
            ModelIO.save(model, rt, SaveOptions.keep());
            byte[] saved = Files.readAllBytes(rt);
            Onnx.ModelProto a = Onnx.ModelProto.parseFrom(original);
            Onnx.ModelProto b = Onnx.ModelProto.parseFrom(saved);
            if (!a.equals(b)) {
                return new CaseResult(name, Outcome.FAIL, "message differs: " + firstDifference(a, b));
            }
            if (!java.util.Arrays.equals(saved, OnnxSerde.toBytes(model))) {
                return new CaseResult(name, Outcome.FAIL, "two writes of the same model differ");
            }
            return compareInOrt(name, model, modelPath, saved);
        } catch (RuntimeException e) {
            return new CaseResult(name, Outcome.FAIL, e.toString());
        }
    }

    private CaseResult compareInOrt(String name, Model model, Path modelPath, byte[] saved) throws IOException {
        List<Path> sets;
        try (Stream<Path> s = Files.list(modelPath.getParent())) {
            sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        }
        try (OrtSession.SessionOptions o = Ort.options();
             OrtSession orig = Ort.env().createSession(modelPath.toString(), o);
             OrtSession rt = Ort.env().createSession(saved, o)) {
            String disagreement = null;
            for (Path set : sets) {
                Map<String, Tensor> inputs = readInputs(model, set);
                Map<String, Ort.Output> x = Ort.run(orig, inputs);
                Map<String, Ort.Output> y = Ort.run(rt, inputs);
                List<Value> outs = model.graph().outputs();
                for (int i = 0; i < outs.size(); i++) {
                    Ort.Output ox = x.get(outs.get(i).name());
                    if (!ox.sameAs(y.get(outs.get(i).name()))) {
                        return new CaseResult(name, Outcome.FAIL, "round-tripped model gives other outputs");
                    }
                    Path expectedFile = set.resolve("output_" + i + ".pb");
                    String why = Ort.compare(OnnxSerde.readTensor(Files.readAllBytes(expectedFile)), ox, RTOL, ATOL);
                    if (why != null && disagreement == null) {
                        disagreement = set.getFileName() + " output '" + outs.get(i).name() + "': " + why;
                    }
                }
            }
            return disagreement == null ? new CaseResult(name, Outcome.PASS, null)
                    : new CaseResult(name, Outcome.ORT_DISAGREES_WITH_EXPECTED, disagreement);
        } catch (OrtException | Ort.Unsupported | RuntimeException e) {
            String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            return new CaseResult(name, Outcome.ORT_CANNOT_RUN, msg.length() > 300 ? msg.substring(0, 300) : msg);
        }
    }

    private static Map<String, Tensor> readInputs(Model model, Path set) throws IOException, Ort.Unsupported {
        List<Value> inputs = model.graph().inputs().stream().filter(v -> v.initializer() == null).toList();
        for (Value v : inputs) {
            if (!(v.type() instanceof dev.bantam.onnx.ir.ValueType.TensorType)) {
                throw new Ort.Unsupported("input '" + v.name() + "' is " + v.type()
                        + ": the ONNX Runtime Java API only takes tensor inputs");
            }
        }
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (int i = 0; ; i++) {
            Path f = set.resolve("input_" + i + ".pb");
            if (!Files.exists(f)) {
                break;
            }
            Tensor t = OnnxSerde.readTensor(Files.readAllBytes(f));
            String n = t.name() != null && !t.name().isEmpty() ? t.name() : inputs.get(i).name();
            feeds.put(n, t);
        }
        return feeds;
    }

    private static String firstDifference(Onnx.ModelProto a, Onnx.ModelProto b) {
        List<String> x = TextFormat.printer().printToString(a).lines().toList();
        List<String> y = TextFormat.printer().printToString(b).lines().toList();
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            if (!x.get(i).equals(y.get(i))) {
                return "line " + i + ": '" + x.get(i).trim() + "' became '" + y.get(i).trim() + "'";
            }
        }
        return "lengths " + x.size() + " vs " + y.size();
    }
}
