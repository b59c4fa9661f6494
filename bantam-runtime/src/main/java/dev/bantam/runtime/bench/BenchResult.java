package dev.bantam.runtime.bench;

import java.util.List;

/** Latency per model (medians over interleaved rounds) and each model's ratio to the first. */
public record BenchResult(String data, int batch, int threads, int rounds, int iterations, List<Entry> models) {

    /**
     * @param medianMs     median over rounds of each round's median latency
     * @param roundMediansMs each round's median, in order
     * @param latencyRatio this model's median / the first model's
     * @param speedup      the first model's median / this model's
     */
    public record Entry(String name, String path, long fileBytes, double medianMs, double p90Ms,
                        double itemsPerSecond, double[] roundMediansMs, double latencyRatio, double speedup) {
    }
}
