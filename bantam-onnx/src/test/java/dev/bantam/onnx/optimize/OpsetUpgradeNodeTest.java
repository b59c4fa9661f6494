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
import dev.bantam.onnx.pass.PassManager;
import dev.bantam.onnx.testing.Ort;
import dev.bantam.onnx.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: every ONNX backend node-test model below opset 13 is raised to 13 and to 21, run in ONNX Runtime on
 * its own inputs and compared with its expected outputs (the backend suite's tolerance). A conversion the pass
 * refuses is listed with its reason; a conversion that runs but gives other outputs fails the test.
 */
class OpsetUpgradeNodeTest {

    @Test
    void nodeTestsBelowOpset13AreRaisedTo13And21() throws Exception {
        Path root = TestData.backendSuite().resolve("node");
        List<Path> all;
        try (Stream<Path> s = Files.list(root)) {
            all = s.map(p -> p.resolve("model.onnx")).filter(Files::exists).sorted().toList();
        }
        Map<String, Integer> refused = new TreeMap<>();
        List<String> unrunnable = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        int below = 0;
        int[] passed = new int[2];
        long[] targets = {13, 21};
        for (Path p : all) {
            Model original = ModelIO.load(p);
            long opset = original.opsetVersion("").orElse(99);
            Map<String, Tensor> feeds = inputs(p, original);
            if (opset >= 13 || feeds == null) {
                continue;
            }
            below++;
            String own = run(p, original, feeds);
            if (own != null) {
                // ONNX Runtime (or its Java API) cannot run the test at its own opset: nothing to compare with
                unrunnable.add(p.getParent().getFileName() + ": " + own);
                continue;
            }
            for (int t = 0; t < targets.length; t++) {
                Model m = ModelIO.load(p);
                try {
                    PassManager.once(List.of(new OpsetUpgrade(targets[t]))).run(m);
                } catch (RuntimeException e) {
                    String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
                    refused.merge("to " + targets[t] + ": " + why.replaceFirst(".*no safe conversion for ", ""), 1,
                            Integer::sum);
                    continue;
                }
                String why = run(p, m, feeds);
                if (why == null) {
                    passed[t]++;
                } else {
                    wrong.add(p.getParent().getFileName() + " (opset " + opset + " -> " + targets[t] + "): " + why);
                }
            }
        }
        System.out.printf("opset upgrade: %d node tests below opset 13, %d of them run in ONNX Runtime at their own opset;"
                + " raised and matching: %d to 13, %d to 21%n", below, below - unrunnable.size(), passed[0], passed[1]);
        unrunnable.forEach(u -> System.out.println("  not run at its own opset: " + u));
        refused.forEach((why, n) -> System.out.printf("  refused %dx %s%n", n, why));
        assertTrue(below > 100, "node tests below opset 13: " + below);
        // the only conversion known to be impossible in the suite: Scan-8's batch axis
        assertTrue(refused.keySet().stream().allMatch(k -> k.contains("Scan-8")), "refused: " + refused.keySet());
        assertEquals(List.of(), wrong, "conversions that run but give other outputs");
    }

    /** Null when the converted model passes the checker and gives the test's expected outputs. */
    private static String run(Path p, Model m, Map<String, Tensor> feeds) {
        try {
            if (ModelChecker.check(m).hasErrors()) {
                return "checker: " + ModelChecker.check(m).errors().getFirst();
            }
            Map<String, Ort.Output> got;
            try (OrtSession.SessionOptions o = Ort.options(); OrtSession s = Ort.env().createSession(OnnxSerde.toBytes(m), o)) {
                got = Ort.run(s, feeds);
            }
            List<Value> outs = m.graph().outputs();
            for (int i = 0; i < outs.size(); i++) {
                Path f = p.resolveSibling("test_data_set_0").resolve("output_" + i + ".pb");
                if (!Files.exists(f)) {
                    return null;
                }
                Tensor want = OnnxSerde.readTensor(Files.readAllBytes(f));
                Ort.Output y = got.get(outs.get(i).name());
                String why = y == null ? "no output " + outs.get(i).name() : Ort.compare(want, y, 1e-3, 1e-7);
                if (why != null) {
                    return "output " + i + ": " + why;
                }
            }
            return null;
        } catch (Exception e) {
            return e.toString().lines().findFirst().orElse("");
        }
    }

    private static Map<String, Tensor> inputs(Path model, Model m) throws Exception {
        List<Value> ins = m.graph().inputs().stream().filter(v -> v.initializer() == null).toList();
        if (ins.stream().anyMatch(v -> !(v.type() instanceof ValueType.TensorType))) {
            return null;
        }
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (int i = 0; i < ins.size(); i++) {
            Path f = model.resolveSibling("test_data_set_0").resolve("input_" + i + ".pb");
            if (!Files.exists(f)) {
                return null;
            }
            feeds.put(ins.get(i).name(), OnnxSerde.readTensor(Files.readAllBytes(f)));
        }
        return feeds;
    }
}
