package dev.bantam.onnx.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import dev.bantam.onnx.testing.Ort;
import dev.bantam.onnx.testing.RealModels;
import dev.bantam.onnx.testing.TestData;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * After optimization, ONNX Runtime gives the same outputs as before: bit-identical for the basic level,
 * within 1e-5 relative for the extended level (which reassociates arithmetic), and the checker passes.
 */
class OptimizeEquivalenceTest {

    @TempDir
    static Path models;

    static List<RealModels.Case> realModels() throws Exception {
        return RealModels.all(models);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("realModels")
    void realModelsGiveTheSameOutputs(RealModels.Case c, @TempDir Path out) throws Exception {
        Map<String, Ort.Output> before = Ort.run(c.model(), c.inputs());
        for (Optimizer.Level level : Optimizer.Level.values()) {
            Model m = ModelIO.load(c.model());
            Optimizer.optimize(m, Optimizer.pipeline(level));
            assertEquals(List.of(), ModelChecker.check(m).errors());
            Path p = out.resolve(level + ".onnx");
            ModelIO.save(m, p);
            assertTrue(Files.size(p) <= Files.size(c.model()), c.name() + " at " + level + " grew from "
                    + Files.size(c.model()) + " to " + Files.size(p) + " bytes");
            String why = compare(before, Ort.run(p, c.inputs()), level == Optimizer.Level.BASIC);
            assertEquals(null, why, c.name() + " at " + level);
        }
    }

    @Test
    void backendNodeTestsGiveTheSameOutputs() throws Exception {
        Path root = TestData.backendSuite().resolve("node");
        List<Path> all;
        try (Stream<Path> s = Files.list(root)) {
            all = s.map(p -> p.resolve("model.onnx")).filter(Files::exists).sorted().toList();
        }
        List<String> failures = new ArrayList<>();
        int compared = 0;
        for (Path p : all) {
            Model checked = ModelIO.load(p);
            Optimizer.optimize(checked, Optimizer.pipeline(Optimizer.Level.EXTENDED));
            if (ModelChecker.check(checked).hasErrors()) {
                failures.add(p.getParent().getFileName() + ": checker after optimize: " + ModelChecker.check(checked).errors());
            }
            Map<String, Tensor> feeds = inputs(p);
            if (feeds == null) {
                continue;
            }
            Map<String, Ort.Output> before;
            try {
                before = Ort.run(p, feeds);
            } catch (Exception e) {
                continue;
            }
            for (Optimizer.Level level : Optimizer.Level.values()) {
                String why = optimizedDiffers(p, feeds, before, level);
                if (why != null) {
                    failures.add(p.getParent().getFileName() + " at " + level + ": " + why);
                }
            }
            compared++;
        }
        System.out.printf("optimize: %d node-test models compared at both levels in ONNX Runtime%n", compared);
        assertTrue(compared > 700, "compared " + compared);
        assertEquals(List.of(), failures);
    }

    /** Null when the model optimized at {@code level} gives {@code before} (bit-identical at the basic level). */
    private static String optimizedDiffers(Path p, Map<String, Tensor> feeds, Map<String, Ort.Output> before,
                                           Optimizer.Level level) {
        try {
            Model m = ModelIO.load(p);
            Optimizer.optimize(m, Optimizer.pipeline(level));
            if (ModelChecker.check(m).hasErrors()) {
                return "checker: " + ModelChecker.check(m).errors().getFirst();
            }
            try (OrtSession.SessionOptions o = Ort.options();
                 OrtSession s = Ort.env().createSession(OnnxSerde.toBytes(m), o)) {
                return compare(before, Ort.run(s, feeds), level == Optimizer.Level.BASIC);
            }
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** The test's own inputs, or null when it has tensor inputs the Java API cannot build. */
    private static Map<String, Tensor> inputs(Path model) throws Exception {
        Model m = ModelIO.load(model);
        List<Value> ins = m.graph().inputs().stream().filter(v -> v.initializer() == null).toList();
        if (ins.stream().anyMatch(v -> !(v.type() instanceof ValueType.TensorType))) {
            return null;
        }
        Path set = model.resolveSibling("test_data_set_0");
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (int i = 0; i < ins.size(); i++) {
            Path f = set.resolve("input_" + i + ".pb");
            if (!Files.exists(f)) {
                return null;
            }
            feeds.put(ins.get(i).name(), OnnxSerde.readTensor(Files.readAllBytes(f)));
        }
        return feeds;
    }

    /** Null when {@code after} matches {@code before} (exactly, or within 1e-5 relative). */
    static String compare(Map<String, Ort.Output> before, Map<String, Ort.Output> after, boolean exact) {
        if (!before.keySet().equals(after.keySet())) {
            return "outputs " + after.keySet() + " instead of " + before.keySet();
        }
        for (String k : before.keySet()) {
            Ort.Output x = before.get(k);
            Ort.Output y = after.get(k);
            if (x.sameAs(y)) {
                continue;
            }
            if (exact || x.bytes() == null) {
                return "output '" + k + "' differs";
            }
            Tensor want = Tensor.ofBytes(k, x.type(), x.shape(), MemorySegment.ofArray(x.bytes()));
            String why = Ort.compare(want, y, 1e-5, 1e-6);
            if (why != null) {
                return "output '" + k + "': " + why;
            }
        }
        return null;
    }
}
