package dev.bantam.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.optimize.Optimizer;
import dev.bantam.runtime.InferenceSession;
import dev.bantam.runtime.RuntimeOptions;
import dev.bantam.runtime.bench.BenchConfig;
import dev.bantam.runtime.bench.BenchResult;
import dev.bantam.runtime.bench.LatencyBenchmark;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bantam optimize --level extended --target-opset 20} on MiniLM: load+optimize+save time and peak heap,
 * each run in a fresh JVM whose heap is capped at 1.5x the model's size; then ONNX Runtime session creation
 * time and latency (batch 1, sequence 128) of the optimized model against the original, interleaved.
 *
 * <p>Usage: {@code bench/optimize [--runs N] [--json FILE]}
 */
public final class OptimizeBenchmark {

    private OptimizeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        int runs = 5;
        Path json = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--json" -> json = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path work = Files.createDirectories(Path.of("target", "bench-optimize").toAbsolutePath());
        Path original = work.resolve("all-minilm-l6-v2.onnx");
        if (!Files.exists(original)) {
            try (InputStream in = OptimizeBenchmark.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
                Files.copy(in, original, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path optimized = work.resolve("optimized/all-minilm-l6-v2.onnx");
        long size = Files.size(original);
        long cap = (long) (1.5 * size);
        List<Map<String, Object>> optimizeRuns = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            System.err.printf(Locale.ROOT, "optimize run %d/%d (heap capped at %d MiB)%n", r + 1, runs, cap >> 20);
            optimizeRuns.add(runChild(original, optimized, cap));
        }
        double[] create0 = new double[runs];
        double[] create1 = new double[runs];
        for (int r = 0; r < runs; r++) {
            create0[r] = sessionMillis(original);
            create1[r] = sessionMillis(optimized);
        }
        BenchResult latency = LatencyBenchmark.run(new BenchConfig(List.of(original, optimized),
                "synthetic:1,dims=sequence_length=128", 1, RuntimeOptions.threads(0), 10, runs, 20), ProgressListener.NONE);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "optimize");
        out.put("model", original.toString());
        out.put("modelBytes", size);
        out.put("heapCapBytes", cap);
        out.put("medianOptimizeMs", Report.median(optimizeRuns, "optimizeMs"));
        out.put("medianPeakHeapBytes", (long) Report.median(optimizeRuns, "peakHeapBytes"));
        out.put("peakHeapOverModelSize", Report.median(optimizeRuns, "peakHeapBytes") / size);
        out.put("nodesBefore", optimizeRuns.getFirst().get("nodesBefore"));
        out.put("nodesAfter", optimizeRuns.getFirst().get("nodesAfter"));
        out.put("medianSessionCreateMsOriginal", median(create0));
        out.put("medianSessionCreateMsOptimized", median(create1));
        out.put("latency", latency);
        String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out);
        System.out.println(text);
        if (json != null) {
            Files.writeString(json, text);
        }
        System.out.printf(Locale.ROOT, "optimize (load+passes+save, no JVM start): median %.0f ms; peak heap %.1f MiB = %.2fx "
                        + "model (cap %.2fx); nodes %s -> %s%n", (double) out.get("medianOptimizeMs"),
                ((Long) out.get("medianPeakHeapBytes")) / 1048576.0, (double) out.get("peakHeapOverModelSize"), 1.5,
                out.get("nodesBefore"), out.get("nodesAfter"));
        System.out.printf(Locale.ROOT, "%-10s %14s %14s %10s%n", "model", "session ms", "latency ms", "speedup");
        System.out.printf(Locale.ROOT, "%-10s %14.1f %14.2f %9.2fx%n", "original", median(create0),
                latency.models().get(0).medianMs(), 1.0);
        System.out.printf(Locale.ROOT, "%-10s %14.1f %14.2f %9.2fx%n", "optimized", median(create1),
                latency.models().get(1).medianMs(), latency.models().get(1).speedup());
    }

    private static void child(Path in, Path out) throws Exception {
        ProcessStats.resetHeapPeaks();
        long t0 = System.nanoTime();
        Model m = ModelIO.load(in);
        int[] before = {0};
        m.graph().forEachNodeRecursive(n -> before[0]++);
        Optimizer.optimize(m, Optimizer.pipeline(Optimizer.Level.EXTENDED), 20);
        int[] after = {0};
        m.graph().forEachNodeRecursive(n -> after[0]++);
        ModelIO.save(m, out);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("optimizeMs", ms);
        r.put("peakHeapBytes", ProcessStats.peakHeap());
        r.put("nodesBefore", before[0]);
        r.put("nodesAfter", after[0]);
        System.out.println(new ObjectMapper().writeValueAsString(r));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> runChild(Path in, Path out, long cap) throws Exception {
        Files.createDirectories(out.getParent());
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx" + (cap >> 20) + "m", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                OptimizeBenchmark.class.getName(), "--child", in.toString(), out.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("optimize failed with the heap capped at " + (cap >> 20) + " MiB");
        }
        return new ObjectMapper().readValue(stdout.lines().reduce((a, b) -> b).orElseThrow(), Map.class);
    }

    private static double sessionMillis(Path model) throws Exception {
        long t0 = System.nanoTime();
        try (InferenceSession s = InferenceSession.open(model, RuntimeOptions.defaults())) {
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
