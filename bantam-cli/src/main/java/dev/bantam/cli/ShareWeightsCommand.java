package dev.bantam.cli;

import dev.bantam.compress.CalibrationSettings;
import dev.bantam.compress.Granularity;
import dev.bantam.compress.NodeScope;
import dev.bantam.compress.share.ClusterInit;
import dev.bantam.compress.recipe.Recipe;
import dev.bantam.compress.share.Codebook;
import dev.bantam.compress.share.WeightSharingConfig;
import dev.bantam.runtime.eval.Task;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "share-weights", mixinStandardHelpOptions = true,
        description = {"Store weights as codebooks and packed indices (a recipe of one share-weights step): k-means "
                + "clusters (weight sharing), uniform levels, or power-of-two levels (log quantization).",
            "The file shrinks by the index width (2, 4 or 8 bits per weight); ONNX Runtime decodes the weights when it "
                + "loads the model, so memory and speed at run time stay those of float32."})
final class ShareWeightsCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelFiles files;

    @Option(names = "--codebook", defaultValue = "kmeans", paramLabel = "KIND",
            description = "kmeans, uniform, log2 or log-sqrt2 (default: ${DEFAULT-VALUE}).")
    String codebook;

    @Option(names = "--clusters", paramLabel = "N", description = "kmeans, uniform: values per codebook, 2 to 256 (default 16).")
    Integer clusters;

    @Option(names = "--bits", paramLabel = "B", description = "log2, log-sqrt2: bits per weight, sign included, 2 to 8 (default 4).")
    Integer bits;

    @Option(names = "--per-channel", description = "One codebook per output channel instead of one per tensor.")
    boolean perChannel;

    @Option(names = "--block-size", paramLabel = "N", description = "log2, log-sqrt2: one scale per block of N weights "
            + "along each channel's reduction axis (the levels shared).")
    Integer blockSize;

    @Option(names = "--init", defaultValue = "best", paramLabel = "INIT",
            description = "kmeans: kmeans++, linear, density, or best (all, the lowest error kept; default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--incremental", description = "log2, log-sqrt2: INQ-style, the largest weights fixed first, their error moved into the rest.")
    boolean incremental;

    @Option(names = "--seed", defaultValue = "1", description = "kmeans++ sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data", paramLabel = "SPEC", description = "kmeans: calibration data; each weight then counts "
            + "with its input channel's mean square (data-aware clustering).")
    String data;

    @Option(names = "--calibration-samples", defaultValue = "256", paramLabel = "N",
            description = "With --data: items to run (default: ${DEFAULT-VALUE}).")
    int calibrationSamples;

    @Mixin
    ScopeOptions scopeOptions;

    @Mixin
    ReportOptions reports;

    @Mixin
    VerboseOption verboseOption;

    @Override
    public Integer call() throws Exception {
        WeightSharingConfig d = WeightSharingConfig.defaults();
        NodeScope scope = scopeOptions.scope(d.scope());
        if (perChannel && blockSize != null) {
            throw new IllegalArgumentException("give --per-channel or --block-size, not both");
        }
        Granularity granularity = blockSize != null ? Granularity.PER_BLOCK
                : perChannel ? Granularity.PER_CHANNEL : Granularity.PER_TENSOR;
        WeightSharingConfig config = new WeightSharingConfig(scope, codebook(codebook), clusters, bits, granularity,
                blockSize, init(init), incremental, seed, data != null,
                new CalibrationSettings(calibrationSamples, 16));
        CompressionRun.Settings s = reports.speed(new CompressionRun.Settings(files.in, files.out, data, null, Task.RAW, 32, reports.json,
                reports.html, reports.quiet, verboseOption.verbose));
        return CompressionRun.run(s, CompressionRun.load(s), Recipe.of(config), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }

    private static Codebook codebook(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "kmeans", "k-means" -> Codebook.KMEANS;
            case "uniform" -> Codebook.UNIFORM;
            case "log2", "pot", "power-of-two" -> Codebook.LOG2;
            case "log-sqrt2" -> Codebook.LOG_SQRT2;
            default -> throw new IllegalArgumentException("--codebook must be kmeans, uniform, log2 or log-sqrt2, not '" + s + "'");
        };
    }

    private static ClusterInit init(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "kmeans++", "k-means++" -> ClusterInit.KMEANS_PLUS_PLUS;
            case "linear" -> ClusterInit.LINEAR;
            case "density" -> ClusterInit.DENSITY;
            case "best" -> ClusterInit.BEST;
            default -> throw new IllegalArgumentException("--init must be kmeans++, linear, density or best, not '" + s + "'");
        };
    }
}
