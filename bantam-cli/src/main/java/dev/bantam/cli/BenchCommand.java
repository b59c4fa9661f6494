package dev.bantam.cli;

import dev.bantam.runtime.RuntimeOptions;
import dev.bantam.runtime.bench.BenchConfig;
import dev.bantam.runtime.bench.BenchResult;
import dev.bantam.runtime.bench.LatencyBenchmark;
import dev.bantam.runtime.bench.StabilityRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time models side by side in one run: warm-up, then interleaved rounds; prints the median "
                + "latency of each and its ratio to the first model.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "MODEL", description = "Models; the first is the baseline for ratios.")
    List<Path> models;

    @Option(names = "--data", paramLabel = "SPEC", description = "Where the batch comes from (default: synthetic "
            + "inputs; symbolic dimensions from --dims).")
    String data;

    @Option(names = "--dims", paramLabel = "NAME=SIZE/...", description = "Sizes of symbolic dimensions for synthetic "
            + "inputs, e.g. sequence_length=128.")
    String dims;

    @Option(names = "--batch", defaultValue = "1", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads; 0: all cores.")
    int threads;

    @Option(names = "--warmup", defaultValue = "5", description = "Warm-up runs per model (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rounds", defaultValue = "5", description = "Interleaved rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--iterations", defaultValue = "10", description = "Runs per model per round (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Then run the models in turn for this long "
            + "and report latency drift (first against last minute; a quarter of the run when shorter than two "
            + "minutes) and resident-memory growth.")
    Integer duration;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON.")
    Path json;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @picocli.CommandLine.Mixin
    VerboseOption verboseOption;

    private static void stability(java.io.PrintWriter out, StabilityRun.Result s) {
        out.printf(Locale.ROOT, "stability over %d s (first against last %d s, medians of per-second medians):%n",
                s.seconds(), s.windowSeconds());
        out.printf(Locale.ROOT, "%-32s %10s %10s %10s %8s%n", "model", "runs", "first ms", "last ms", "drift");
        for (StabilityRun.Drift d : s.models()) {
            out.printf(Locale.ROOT, "%-32s %10d %10.3f %10.3f %+7.1f%%%n", d.name(), d.runs(), d.firstMs(), d.lastMs(),
                    d.driftPercent());
        }
        out.printf(Locale.ROOT, "resident memory %.1f -> %.1f MiB (%+.1f MiB), peak %.1f MiB%n", s.rssStartMiB(),
                s.rssEndMiB(), s.rssGrowthMiB(), s.rssPeakMiB());
    }

    @Override
    public Integer call() throws Exception {
        String source = data != null ? data : "synthetic:" + Math.max(batch, 1) + (dims == null ? "" : ",dims=" + dims);
        if (json != null) {
            OutputGuard guard = new OutputGuard().data(data);
            for (Path m : models) {
                guard.model(m);
                if (java.nio.file.Files.isRegularFile(m)) {
                    guard.model(dev.bantam.onnx.io.ModelIO.load(m));
                }
            }
            guard.write("--json", json).check();
        }
        BenchConfig c = new BenchConfig(models, source, batch, RuntimeOptions.threads(threads), warmup, rounds, iterations);
        if (duration != null && duration < 4) {
            throw new IllegalArgumentException("--duration must be at least 4 seconds, not " + duration);
        }
        ProgressBar progress = new ProgressBar(spec.commandLine().getErr(), quiet);
        BenchResult r = LatencyBenchmark.run(c, progress);
        StabilityRun.Result stability = duration == null ? null : StabilityRun.run(c, duration, progress);
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "batch %d, %d rounds x %d runs, threads %s, data: %s%n", r.batch(), r.rounds(),
                r.iterations(), threads == 0 ? "all" : threads, r.data());
        out.printf(Locale.ROOT, "%-32s %10s %11s %10s %12s %9s%n", "model", "size MiB", "median ms", "p90 ms",
                "items/s", "speedup");
        for (BenchResult.Entry e : r.models()) {
            out.printf(Locale.ROOT, "%-32s %10.1f %11.2f %10.2f %12.1f %8.2fx%n", e.name(), e.fileBytes() / 1048576.0,
                    e.medianMs(), e.p90Ms(), e.itemsPerSecond(), e.speedup());
        }
        if (stability != null) {
            stability(out, stability);
        }
        if (json != null) {
            OutputFiles.writeAtomically(json, Json.writeWith(r, "stability", stability));
        }
        return 0;
    }
}
