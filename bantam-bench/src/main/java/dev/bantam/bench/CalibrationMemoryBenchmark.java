package dev.bantam.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bantam.compress.quantize.Calibration;
import dev.bantam.compress.quantize.QuantizeReport;
import dev.bantam.compress.quantize.StaticQuantization;
import dev.bantam.compress.quantize.StaticQuantizeConfig;
import dev.bantam.compress.quantize.TensorKind;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.runtime.context.OrtContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Peak heap of static-quantization calibration with few and with many samples, each run in a fresh JVM
 * (serial GC, 4 MiB young generation). The figure compared is the peak live heap: the largest heap in use
 * right after any collection during calibration (and after one forced at its end, with the statistics
 * still held), so it measures what calibration keeps, not how far the nursery happened to fill. The
 * pools' raw peaks are reported beside it. Arguments: {@code NAME=MODEL=DATASPEC ...} cases, {@code --samples 100,2000}, {@code --runs N},
 * {@code --batch N}, {@code --json FILE}. Prints JSON, then a table.
 */
public final class CalibrationMemoryBenchmark {

    private CalibrationMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(Path.of(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            return;
        }
        List<String[]> cases = new ArrayList<>();
        int[] samples = {100, 2000};
        int runs = 3;
        int batch = 16;
        Path json = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--samples" -> samples = java.util.Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--json" -> json = Path.of(args[++i]);
                default -> cases.add(args[i].split("=", 3));
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String[] c : cases) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", c[0]);
            row.put("data", c[2]);
            for (int n : samples) {
                List<Map<String, Object>> s = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    s.add(runChild(Path.of(c[1]), c[2] + (c[2].contains("limit=") ? "" : ",limit=" + n), n, batch));
                }
                row.put("peakLiveHeapBytes@" + n, (long) Report.median(s, "peakLiveHeapBytes"));
                row.put("peakHeapBytes@" + n, (long) Report.median(s, "peakHeapBytes"));
                row.put("peakOldGenBytes@" + n, (long) Report.median(s, "peakOldGenBytes"));
                row.put("calibrationMs@" + n, Report.median(s, "calibrationMs"));
            }
            double a = ((Number) row.get("peakLiveHeapBytes@" + samples[0])).doubleValue();
            double b = ((Number) row.get("peakLiveHeapBytes@" + samples[samples.length - 1])).doubleValue();
            row.put("peakLiveHeapRatio", b / a);
            row.put("within10Percent", Math.abs(b / a - 1) <= 0.10);
            rows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "calibration-memory");
        out.put("runs", runs);
        out.put("samples", samples);
        out.put("results", rows);
        String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out);
        System.out.println(text);
        if (json != null) {
            Files.writeString(json, text);
        }
        System.out.printf(Locale.ROOT, "%n%-10s %14s %14s %8s %12s %12s%n", "model", "live peak " + samples[0],
                "live peak " + samples[samples.length - 1], "ratio", "ms " + samples[0], "ms " + samples[samples.length - 1]);
        for (Map<String, Object> r : rows) {
            System.out.printf(Locale.ROOT, "%-10s %10.1f MiB %10.1f MiB %7.3fx %12.0f %12.0f%n", r.get("model"),
                    ((Number) r.get("peakLiveHeapBytes@" + samples[0])).doubleValue() / (1 << 20),
                    ((Number) r.get("peakLiveHeapBytes@" + samples[samples.length - 1])).doubleValue() / (1 << 20),
                    r.get("peakLiveHeapRatio"), r.get("calibrationMs@" + samples[0]), r.get("calibrationMs@" + samples[samples.length - 1]));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> runChild(Path model, String data, int samples, int batch) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "-Xmx1g", "-Xmn4m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), CalibrationMemoryBenchmark.class.getName(), "--child",
                model.toString(), data, Integer.toString(samples), Integer.toString(batch));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("calibration of " + model + " with " + samples + " samples failed");
        }
        return new ObjectMapper().readValue(stdout.lines().reduce((a, b) -> b).orElseThrow(), Map.class);
    }

    /** Loads, then quantizes statically (pre-steps, calibration, rewrite), then reports the heap peaks. */
    private static void child(Path modelPath, String data, int samples, int batch) throws Exception {
        Model m = ModelIO.load(modelPath);
        StaticQuantizeConfig config = StaticQuantizeConfig.defaults().withCalibration(
                Calibration.defaults().withSamples(samples, batch));
        ProcessStats.heapUsedAfterGc();
        ProcessStats.resetHeapPeaks();
        java.util.concurrent.atomic.AtomicLong live = new java.util.concurrent.atomic.AtomicLong();
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            ((javax.management.NotificationEmitter) gc).addNotificationListener((n, h) -> {
                var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                        (javax.management.openmbean.CompositeData) n.getUserData());
                long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                        .mapToLong(java.lang.management.MemoryUsage::getUsed).sum();
                live.accumulateAndGet(after, Math::max);
            }, n -> n.getType().equals(com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION),
                    null);
        }
        long t0 = System.nanoTime();
        QuantizeReport report;
        try (OrtContext context = OrtContext.calibratingOn(data)) {
            report = new StaticQuantization().apply(m, config, context);
        }
        long used = report.calibrationItems();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.gc(); // the model and report are still referenced: this collection sees what quantization keeps
        Thread.sleep(200); // GC notifications are delivered on another thread
        long peak = ProcessStats.peakHeap();
        long old = 0;
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().contains("Tenured") || pool.getName().contains("Old")) {
                old += pool.getPeakUsage().getUsed();
            }
        }
        if (used != samples) {
            throw new IllegalStateException("calibrated on " + used + " items, not " + samples);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("samples", used);
        r.put("activations", report.count(TensorKind.ACTIVATION));
        r.put("calibrationMs", ms);
        r.put("peakLiveHeapBytes", Math.max(live.get(), 1));
        r.put("peakHeapBytes", peak);
        r.put("peakOldGenBytes", old);
        System.out.println(new ObjectMapper().writeValueAsString(r));
    }
}
