package dev.bantam.runtime.metrics;

import java.util.Arrays;
import java.util.List;

/** Latency percentiles and throughput of timed runs (after warm-up). */
public record LatencyStats(int runs, int batchSize, double p50Ms, double p90Ms, double p99Ms, double meanMs,
                           double itemsPerSecond) {

    public static LatencyStats of(List<Long> nanos, int batchSize) {
        double[] ms = nanos.stream().mapToDouble(n -> n / 1e6).sorted().toArray();
        double mean = Arrays.stream(ms).average().orElse(Double.NaN);
        double p50 = Percentiles.of(ms, 50);
        return new LatencyStats(ms.length, batchSize, p50, Percentiles.of(ms, 90), Percentiles.of(ms, 99), mean,
                batchSize / (p50 / 1e3));
    }
}
