package dev.bantam.runtime.bench;

import dev.bantam.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * A side-by-side latency benchmark: the models, the data a batch is taken from (default: synthetic inputs
 * shaped by {@code dims}), batch size, warm-up runs, and interleaved rounds of {@code iterations} runs each.
 */
public record BenchConfig(List<Path> models, String data, int batch, RuntimeOptions runtime, int warmup,
                          int rounds, int iterations) {

    public BenchConfig {
        models = List.copyOf(models);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("benchmark needs at least one model");
        }
        if (batch < 1 || rounds < 1 || iterations < 1 || warmup < 0) {
            throw new IllegalArgumentException("batch, rounds and iterations must be >= 1, warm-up >= 0");
        }
    }
}
