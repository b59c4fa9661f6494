package dev.bantam.cli;

import dev.bantam.compress.Granularity;
import dev.bantam.compress.TechniqueConfig;
import dev.bantam.compress.WeightNumerics;
import dev.bantam.compress.quantize.ActivationNumerics;
import dev.bantam.compress.quantize.Calibration;
import dev.bantam.compress.quantize.DynamicQuantizeConfig;
import dev.bantam.compress.quantize.StaticQuantizeConfig;
import dev.bantam.compress.quantize.calibrate.CalibrationMethod;
import dev.bantam.compress.recipe.Recipe;
import dev.bantam.runtime.eval.Task;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Quantize a float model to INT8 (a recipe of one quantize-dynamic or quantize-static step).",
            "dynamic: MatMul weights int8 (per column by default), activations quantized at run time "
                + "(DynamicQuantizeLinear + MatMulInteger), embedding tables int8.",
            "static: weights and activations int8, activation ranges calibrated on --calibration-data; QDQ format "
                + "(default) or QOperator (QLinearConv, QLinearMatMul, QGemm, QLinearAdd, ...).",
            "static mode guards accuracy: the result is scored against the input on held-out items (the end of the "
                + "calibration data) and, while it loses more than the budget, the most sensitive groups (a weighted "
                + "layer with the operators joined to it) return to float.",
            "Prints the tensors that kept the least (SQNR) first. An option the mode cannot honour is refused."})
final class QuantizeCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelFiles files;

    @Option(names = "--mode", defaultValue = "dynamic", description = "dynamic or static (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--format", paramLabel = "FORMAT", description = "static: qdq (default) or qoperator.")
    String format;

    @Option(names = "--calibration-data", paramLabel = "SPEC",
            description = "static: data to calibrate on, as for eval --data (e.g. fmnist:,split=train).")
    String calibrationData;

    @Option(names = "--eval-data", paramLabel = "SPEC", description = "static: held-out data the accuracy guard scores "
            + "on, and the result is evaluated on (default: the guard holds out the end of the calibration data).")
    String evalData;

    @Option(names = "--task", defaultValue = "raw", paramLabel = "TASK",
            description = "With --eval-data: classify, embed, raw, sequence or map (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--calibration-samples", paramLabel = "N", description = "static: items to calibrate on (default 500).")
    Integer calibrationSamples;

    @Option(names = "--calibration-batch", paramLabel = "N", description = "static: items per calibration run (default 16).")
    Integer calibrationBatch;

    @Option(names = "--calibration", paramLabel = "METHOD",
            description = "static: minmax (default), percentile, entropy or mse.")
    String calibration;

    @Option(names = "--percentile", paramLabel = "P", description = "static, with --calibration percentile: the "
            + "percentile kept at each end (default 99.999).")
    Double percentile;

    @Option(names = "--activation-type", paramLabel = "TYPE",
            description = "static: uint8 (default) or int8 (ONNX Runtime's x86 int8 x int8 kernels are slower).")
    String activationType;

    @Option(names = "--symmetric-activations", description = "static: activation ranges centred on zero.")
    boolean symmetricActivations;

    @Option(names = "--weight-type", paramLabel = "TYPE", description = "int8 (default) or uint8 (symmetric around 128).")
    String weightType;

    @Option(names = "--per-tensor", description = "One scale per weight instead of one per output channel.")
    boolean perTensor;

    @Option(names = "--reduce-range", description = "7-bit weights, for CPUs without VNNI where u8 x s8 products "
            + "saturate (the static default).")
    boolean reduceRange;

    @Option(names = "--full-range", description = "8-bit weights: more precise, for CPUs with VNNI (the dynamic default).")
    boolean fullRange;

    @Option(names = "--smoothquant", paramLabel = "ALPHA",
            description = "static: SmoothQuant strength for MatMuls after a LayerNormalization (default 0.5; 0 = off).")
    Double smoothQuant;

    @Mixin
    GuardOptions guard;

    @Option(names = "--allow-slower", description = "static: keep every group the accuracy guard allows in int8, even "
            + "where the model runs slower for it (by default a group stays int8 only where the model is measured "
            + "faster with it, at --speed-batch, on real data).")
    boolean allowSlower;

    @Option(names = "--state", split = ",", paramLabel = "OUT=IN", description = "static: stream a recurrent model's "
            + "state through calibration and the guard's scoring: each item's output OUT feeds the next item's input IN "
            + "(items in order, one per run; the first item's IN comes from the data, e.g. input.IN=zeros:2x1x64), so "
            + "activation ranges are those of the model in use, not of every item starting from zero state.")
    java.util.LinkedHashMap<String, String> state = new java.util.LinkedHashMap<>();

    @Mixin
    ScopeOptions scope;

    @Mixin
    ReportOptions reports;

    @Mixin
    VerboseOption verboseOption;

    /** Options that only static mode reads; dynamic mode refuses them by name. */
    private static final java.util.Set<String> STATIC_ONLY = java.util.Set.of("--format", "--calibration-data",
            "--eval-data", "--calibration-samples", "--calibration-batch", "--calibration", "--percentile",
            "--activation-type", "--symmetric-activations", "--smoothquant", "--no-guard", "--min-fidelity",
            "--min-agreement", "--min-position-agreement", "--max-drop", "--guard-items", "--sensitivity",
            "--allow-slower", "--state");

    @Override
    public Integer call() throws Exception {
        TechniqueConfig config = switch (mode) {
            case "dynamic" -> dynamicConfig();
            case "static" -> staticConfig();
            default -> throw new IllegalArgumentException("--mode must be dynamic or static, not '" + mode + "'");
        };
        CompressionRun.Settings s = reports.speed(new CompressionRun.Settings(files.in, files.out, calibrationData, evalData, Task.parse(task), 32, reports.json, reports.html,
                reports.quiet, verboseOption.verbose)).withState(state);
        return CompressionRun.run(s, CompressionRun.load(s), Recipe.of(config), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }

    private DynamicQuantizeConfig dynamicConfig() {
        List<String> staticOnly = spec.commandLine().getParseResult().matchedOptions().stream()
                .map(o -> o.longestName()).filter(STATIC_ONLY::contains).distinct().toList();
        if (!staticOnly.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", staticOnly) + (staticOnly.size() == 1 ? " applies" : " apply")
                    + " to --mode static only (dynamic mode quantizes activations at run time, with no calibration)");
        }
        DynamicQuantizeConfig d = DynamicQuantizeConfig.defaults();
        return d.withScope(scope.scope(d.scope())).withWeights(weights(d.weights()));
    }

    private StaticQuantizeConfig staticConfig() {
        if (calibrationData == null) {
            throw new IllegalArgumentException("--mode static needs --calibration-data (e.g. fmnist:,split=train)");
        }
        StaticQuantizeConfig d = StaticQuantizeConfig.defaults();
        StaticQuantizeConfig.Format f = format == null ? d.format() : switch (format) {
            case "qdq" -> StaticQuantizeConfig.Format.QDQ;
            case "qoperator" -> StaticQuantizeConfig.Format.QOPERATOR;
            default -> throw new IllegalArgumentException("--format must be qdq or qoperator, not '" + format + "'");
        };
        Calibration c = d.calibration();
        c = new Calibration(calibration == null ? c.method() : CalibrationMethod.parse(calibration), percentile,
                calibrationSamples == null ? c.samples() : calibrationSamples,
                calibrationBatch == null ? c.batchSize() : calibrationBatch);
        ActivationNumerics a = new ActivationNumerics(activationType == null ? d.activations().signed()
                : signed(activationType, "--activation-type"), symmetricActivations);
        return d.withScope(scope.scope(d.scope())).withWeights(weights(d.weights())).withActivations(a).withCalibration(c)
                .withFormat(f).withSmoothQuant(smoothQuant == null ? d.smoothQuantAlpha() : smoothQuant)
                .withGuard(guard.guard(d.guard()))
                .withSpeed(d.speed().withEnabled(!allowSlower).withBatch(reports.speedBatch == null ? d.speed().batch()
                        : Math.max(1, reports.speedBatch)));
    }

    private WeightNumerics weights(WeightNumerics d) {
        if (reduceRange && fullRange) {
            throw new IllegalArgumentException("--reduce-range and --full-range contradict each other");
        }
        int bits = reduceRange ? 7 : fullRange ? 8 : d.bits();
        return new WeightNumerics(bits, weightType == null ? d.signed() : signed(weightType, "--weight-type"), true,
                perTensor ? Granularity.PER_TENSOR : d.granularity(), 0);
    }

    private static boolean signed(String type, String option) {
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "int8", "s8", "qint8" -> true;
            case "uint8", "u8", "quint8" -> false;
            default -> throw new IllegalArgumentException(option + " must be int8 or uint8, not '" + type + "'");
        };
    }
}
