package dev.bantam.cli;

import dev.bantam.compress.CalibrationSettings;
import dev.bantam.compress.half.Compute;
import dev.bantam.compress.half.HalfPrecisionConfig;
import dev.bantam.compress.half.HalfType;
import dev.bantam.compress.half.Target;
import dev.bantam.compress.recipe.Recipe;
import dev.bantam.runtime.eval.Task;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "half-precision", mixinStandardHelpOptions = true,
        description = {"Convert a float32 model to FP16 or BF16 (a recipe of one half-precision step): weights stored in "
                + "the half type (the file about halves), and with --compute half, operators computing in it where that "
                + "is measured safe, with Casts only at the borders of half regions.",
            "Inputs and outputs stay float32 unless --no-keep-io-types."})
final class HalfPrecisionCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelFiles files;

    @Option(names = "--type", defaultValue = "fp16", paramLabel = "TYPE", description = "fp16 or bf16 (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--compute", paramLabel = "WHERE", description = "float: every operator computes in float32, the "
            + "weights widened when ONNX Runtime loads the model (default without --data); half: mixed precision, "
            + "operators compute in the half type where their values fit it (default with --data).")
    String compute;

    @Option(names = "--target", defaultValue = "ort-cpu", paramLabel = "KERNELS", description = "With --compute half: "
            + "ort-cpu (half arithmetic only on operators ONNX Runtime's CPU provider has half kernels for) or any (every "
            + "operator the ONNX schema allows, for GPU providers and CPUs with half arithmetic; the result must still "
            + "load in ONNX Runtime's CPU provider). Default: ${DEFAULT-VALUE}.")
    String target;

    @Option(names = "--keep-io-types", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Graph inputs and outputs stay float32 (default); --no-keep-io-types makes them the half type.")
    boolean keepIoTypes;

    @Option(names = "--data", paramLabel = "SPEC", description = "Calibration data: with --compute half, each operator "
            + "is judged by the magnitudes its values take on it rather than by a list of sensitive operators.")
    String data;

    @Option(names = "--calibration-samples", defaultValue = "128", paramLabel = "N",
            description = "With --data: items to run (default: ${DEFAULT-VALUE}).")
    int calibrationSamples;

    @Option(names = "--eval-data", paramLabel = "SPEC", description = "Held-out data: the result is scored against the "
            + "float model on it (and evaluated, as bantam eval does).")
    String evalData;

    @Option(names = "--task", defaultValue = "classify", paramLabel = "TASK",
            description = "With --eval-data: classify, embed, raw, sequence or map (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--min-fidelity", paramLabel = "X", description = "With --eval-data: the least mean cosine of the "
            + "first output to the float model's; operators most at risk, then weights, return to float32 until it is met.")
    Double minFidelity;

    @Option(names = "--score-items", defaultValue = "256", paramLabel = "N",
            description = "With --eval-data: items each candidate is scored on (default: ${DEFAULT-VALUE}).")
    int scoreItems;

    @Mixin
    ScopeOptions scopeOptions;

    @Mixin
    ReportOptions reports;

    @Mixin
    VerboseOption verboseOption;

    @Override
    public Integer call() throws Exception {
        HalfType t = switch (type.toLowerCase(Locale.ROOT)) {
            case "fp16", "float16" -> HalfType.FP16;
            case "bf16", "bfloat16" -> HalfType.BF16;
            default -> throw new IllegalArgumentException("--type must be fp16 or bf16, not '" + type + "'");
        };
        Compute where = compute == null ? (data != null ? Compute.HALF : Compute.FLOAT)
                : switch (compute.toLowerCase(Locale.ROOT)) {
                    case "float" -> Compute.FLOAT;
                    case "half" -> Compute.HALF;
                    default -> throw new IllegalArgumentException("--compute must be float or half, not '" + compute + "'");
                };
        Target kernels = switch (target.toLowerCase(Locale.ROOT)) {
            case "ort-cpu" -> Target.ORT_CPU;
            case "any" -> Target.ANY;
            default -> throw new IllegalArgumentException("--target must be ort-cpu or any, not '" + target + "'");
        };
        if (data != null && where == Compute.FLOAT) {
            throw new IllegalArgumentException("--data judges operators computing in the half type; it needs --compute "
                    + "half (with --compute float every operator stays float32)");
        }
        if (minFidelity != null && evalData == null) {
            throw new IllegalArgumentException("--min-fidelity needs --eval-data SPEC to score the result on");
        }
        HalfPrecisionConfig d = HalfPrecisionConfig.defaults();
        HalfPrecisionConfig config = new HalfPrecisionConfig(t, where, kernels, keepIoTypes, scopeOptions.scope(d.scope()),
                data != null, new CalibrationSettings(calibrationSamples, d.calibration().batchSize()), minFidelity,
                scoreItems);
        CompressionRun.Settings s = reports.speed(new CompressionRun.Settings(files.in, files.out, data, evalData, Task.parse(task), 32,
                reports.json, reports.html, reports.quiet, verboseOption.verbose));
        return CompressionRun.run(s, CompressionRun.load(s), Recipe.of(config), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }
}
