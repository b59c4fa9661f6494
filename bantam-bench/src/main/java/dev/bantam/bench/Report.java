package dev.bantam.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Medians of the benchmark samples, the targets' verdicts, and the short table. */
final class Report {

    private Report() {
    }

    static double median(List<Map<String, Object>> rows, String key) {
        List<Double> v = new ArrayList<>(rows.stream().map(r -> ((Number) r.get(key)).doubleValue()).sorted().toList());
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    static Map<String, Object> summarize(Map<String, Path> files, Map<String, List<Map<String, Object>>> samples,
                                         int runs, double heapTarget) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "io");
        out.put("runs", runs);
        out.put("java", Runtime.version().toString());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var e : samples.entrySet()) {
            String[] key = e.getKey().split(" ");
            long size = IoBenchmark.modelBytes(files.get(key[0]));
            List<Map<String, Object>> s = e.getValue();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", key[0]);
            row.put("phase", key[1]);
            row.put("modelBytes", size);
            row.put("medianMs", median(s, "ms"));
            row.put("medianLoadMs", median(s, "loadMs"));
            row.put("medianPeakHeapBytes", (long) median(s, "peakHeapBytes"));
            row.put("peakHeapOverModelSize", median(s, "peakHeapBytes") / size);
            row.put("medianPeakRssBytes", (long) median(s, "peakRssBytes"));
            row.put("medianFileBytesResidentAfterLoad", (long) median(s, "fileBytesResidentAfterLoad"));
            row.put("externalFilesMappedByLoad", (long) median(s, "externalFilesMappedByLoad"));
            row.put("heapCapBytes", s.getFirst().get("heapCapBytes"));
            row.put("targetPeakHeapUnder1.2xModel", median(s, "peakHeapBytes") < heapTarget * size);
            row.put("targetLoadReadsNoTensorBytes", median(s, "fileBytesResidentAfterLoad") < 0.05 * size
                    && median(s, "externalFilesMappedByLoad") == 0);
            rows.add(row);
        }
        out.put("results", rows);
        return out;
    }

    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> result) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-8s %-8s %10s %10s %12s %10s %12s %14s%n",
                "model", "phase", "size MiB", "median ms", "peak heap MiB", "heap/size", "peak RSS MiB",
                "resident after load"));
        for (Map<String, Object> r : (List<Map<String, Object>>) result.get("results")) {
            b.append(String.format(Locale.ROOT, "%-8s %-8s %10.1f %10.1f %12.1f %10.3f %12.1f %11.2f MiB%n",
                    r.get("model"), r.get("phase"), mib(r.get("modelBytes")), (double) r.get("medianMs"),
                    mib(r.get("medianPeakHeapBytes")), (double) r.get("peakHeapOverModelSize"),
                    mib(r.get("medianPeakRssBytes")), mib(r.get("medianFileBytesResidentAfterLoad"))));
        }
        return b.toString();
    }

    private static double mib(Object bytes) {
        return ((Number) bytes).doubleValue() / (1 << 20);
    }
}
