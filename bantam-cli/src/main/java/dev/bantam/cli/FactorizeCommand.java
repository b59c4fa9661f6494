package dev.bantam.cli;

import dev.bantam.compress.CalibrationSettings;
import dev.bantam.compress.NodeScope;
import dev.bantam.compress.lowrank.ConvFactorization;
import dev.bantam.compress.lowrank.LowRankConfig;
import dev.bantam.compress.lowrank.RankMethod;
import dev.bantam.compress.lowrank.RankRule;
import dev.bantam.compress.recipe.Recipe;
import dev.bantam.runtime.eval.Task;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "factorize", mixinStandardHelpOptions = true,
        description = {"Low-rank factorization (a recipe of one low-rank step): MatMul, Gemm and Conv layers become two "
                + "thinner ones by SVD, whitened by the input covariance on --data (data-aware) unless --plain.",
            "Ranks by --rank-by energy (default), ratio, fixed, or sensitivity (a scan on --eval-data until MACs fall by "
                + "--mac-reduction)."})
final class FactorizeCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelFiles files;

    @Option(names = "--rank-by", defaultValue = "energy", paramLabel = "METHOD",
            description = "energy, ratio, fixed or sensitivity (default: ${DEFAULT-VALUE}).")
    String rankBy;

    @Option(names = "--energy", paramLabel = "E", description = "energy: fraction of the spectrum's energy kept (default 0.9).")
    Double energy;

    @Option(names = "--ratio", paramLabel = "R", description = "ratio: fraction of each layer's parameters kept (default 0.5).")
    Double ratio;

    @Option(names = "--rank", paramLabel = "N", description = "fixed: the rank of every layer.")
    Integer rank;

    @Option(names = "--mac-reduction", paramLabel = "F", description = "sensitivity: fraction of MACs to remove (default 0.25).")
    Double macReduction;

    @Option(names = "--rank-multiple", defaultValue = "8", paramLabel = "M",
            description = "Ranks rounded up to a multiple of M (default: ${DEFAULT-VALUE}).")
    int multiple;

    @Option(names = "--score-items", defaultValue = "256", paramLabel = "N",
            description = "sensitivity: evaluation items each candidate is scored on (default: ${DEFAULT-VALUE}).")
    int scoreItems;

    @Option(names = "--conv", defaultValue = "channel", paramLabel = "FORM",
            description = "Convolutions: channel (k×k to r, then 1×1), spatial (kh×1, then 1×kw) or tucker (1×1, k×k, 1×1); "
                    + "default ${DEFAULT-VALUE}.")
    String conv;

    @Option(names = "--plain", description = "Plain SVD of the weights (no data): the best weight, not the best output.")
    boolean plain;

    @Option(names = "--data", paramLabel = "SPEC", description = "Calibration data for the input covariances.")
    String data;

    @Option(names = "--eval-data", paramLabel = "SPEC", description = "Held-out data: the sensitivity scan scores on "
            + "it, and the result is evaluated against the input on it.")
    String evalData;

    @Option(names = "--calibration-samples", defaultValue = "256", paramLabel = "N",
            description = "Calibration items (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--task", defaultValue = "classify", paramLabel = "TASK",
            description = "With --eval-data: classify, embed, raw, sequence or map (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--timing-batch", defaultValue = "32", paramLabel = "N",
            description = "Time each factorized layer alone in ONNX Runtime before and after, at this batch (needs "
                    + "--data or --eval-data for the shapes); 0: not timed (default: ${DEFAULT-VALUE}).")
    int timingBatch;

    @Mixin
    ScopeOptions scopeOptions;

    @Mixin
    ReportOptions reports;

    @Mixin
    VerboseOption verboseOption;

    @Override
    public Integer call() throws Exception {
        if (!plain && data == null) {
            throw new IllegalArgumentException("data-aware factorization needs --data SPEC (or --plain for plain SVD)");
        }
        if (plain && data != null) {
            throw new IllegalArgumentException("--plain uses no --data");
        }
        RankMethod method = switch (rankBy.toLowerCase(Locale.ROOT)) {
            case "energy" -> RankMethod.ENERGY;
            case "ratio" -> RankMethod.RATIO;
            case "fixed" -> RankMethod.FIXED;
            case "sensitivity" -> RankMethod.SENSITIVITY;
            default -> throw new IllegalArgumentException("--rank-by must be energy, ratio, fixed or sensitivity, not '" + rankBy + "'");
        };
        ConvFactorization form = switch (conv.toLowerCase(Locale.ROOT)) {
            case "channel" -> ConvFactorization.CHANNEL;
            case "spatial" -> ConvFactorization.SPATIAL;
            case "tucker" -> ConvFactorization.TUCKER;
            default -> throw new IllegalArgumentException("--conv must be channel, spatial or tucker, not '" + conv + "'");
        };
        LowRankConfig d = LowRankConfig.defaults();
        NodeScope scope = scopeOptions.scope(d.scope());
        LowRankConfig config = new LowRankConfig(scope, new RankRule(method, energy, ratio, rank, macReduction, multiple,
                scoreItems), !plain, form, new CalibrationSettings(samples, 16), d.damping(), timingBatch);
        CompressionRun.Settings s = reports.speed(new CompressionRun.Settings(files.in, files.out, data, evalData, Task.parse(task), 32,
                reports.json, reports.html, reports.quiet, verboseOption.verbose));
        return CompressionRun.run(s, CompressionRun.load(s), Recipe.of(config), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }
}
