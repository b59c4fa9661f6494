package dev.bantam.cli;

import dev.bantam.compress.quantize.DynamicQuantizer;
import dev.bantam.compress.quantize.QuantType;
import dev.bantam.compress.quantize.QuantizeConfig;
import dev.bantam.compress.quantize.QuantizeReport;
import dev.bantam.compress.quantize.StaticQuantizer;
import dev.bantam.compress.quantize.calibrate.ActivationStats;
import dev.bantam.compress.quantize.calibrate.CalibrationMethod;
import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.io.Provenance;
import dev.bantam.onnx.io.SaveResult;
import dev.bantam.onnx.ir.Model;
import dev.bantam.runtime.calibrate.ActivationCollector;
import dev.bantam.runtime.data.DataSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Quantize a float model to INT8.",
            "dynamic: MatMul weights int8 (per column by default), activations quantized at run time "
                + "(DynamicQuantizeLinear + MatMulInteger), embedding tables int8.",
            "static: weights and activations int8, activation ranges calibrated on --calibration-data; QDQ format "
                + "(default) or QOperator (QLinearConv, QLinearMatMul, QGemm, QLinearAdd, ...).",
            "Prints the tensors that kept the least (SQNR) first."})
final class QuantizeCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "The float .onnx model.")
    Path in;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The quantized .onnx file.")
    Path out;

    @Option(names = "--mode", defaultValue = "dynamic", description = "dynamic or static (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--format", defaultValue = "qdq", description = "static: qdq or qoperator (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--calibration-data", paramLabel = "SPEC",
            description = "static: data to calibrate on, as for eval --data (e.g. fmnist:,split=train).")
    String calibrationData;

    @Option(names = "--calibration-samples", defaultValue = "500", paramLabel = "N",
            description = "static: items to calibrate on (default: ${DEFAULT-VALUE}).")
    int calibrationSamples;

    @Option(names = "--calibration-batch", defaultValue = "16", paramLabel = "N",
            description = "static: items per calibration run (default: ${DEFAULT-VALUE}).")
    int calibrationBatch;

    @Option(names = "--calibration", defaultValue = "minmax", paramLabel = "METHOD",
            description = "static: minmax, percentile, entropy or mse (default: ${DEFAULT-VALUE}).")
    String calibration;

    @Option(names = "--percentile", defaultValue = "99.999", description = "For --calibration percentile (default: ${DEFAULT-VALUE}).")
    double percentile;

    @Option(names = "--activation-type", defaultValue = "uint8",
            description = "static: uint8 or int8 (default: ${DEFAULT-VALUE}; ONNX Runtime's x86 int8 x int8 kernels are slower).")
    String activationType;

    @Option(names = "--weight-type", defaultValue = "int8", description = "int8 or uint8 (default: ${DEFAULT-VALUE}).")
    String weightType;

    @Option(names = "--symmetric-activations", description = "static: activation ranges centred on zero.")
    boolean symmetricActivations;

    @Option(names = "--per-tensor", description = "One scale per weight instead of one per output channel.")
    boolean perTensor;

    @Option(names = "--reduce-range", description = "7-bit weights, for CPUs without VNNI where u8 x s8 products "
            + "saturate (the static default).")
    boolean reduceRange;

    @Option(names = "--full-range", description = "8-bit weights: more precise, for CPUs with VNNI (the dynamic default).")
    boolean fullRange;

    @Option(names = "--op-types", split = ",", paramLabel = "OP,...",
            description = "Operators to quantize (dynamic: MatMul,Gather by default, also Gemm,Conv; static default: all supported).")
    List<String> opTypes;

    @Option(names = "--exclude", paramLabel = "REGEX", description = "Leave nodes whose name matches in float.")
    List<String> exclude = List.of();

    @Option(names = "--exclude-op-types", split = ",", paramLabel = "OP,...", description = "Leave these operators in float.")
    List<String> excludeOpTypes = List.of();

    @Option(names = "--keep-first-last", description = "Leave the first and last weighted layers in float.")
    boolean keepFirstLast;

    @Option(names = "--smoothquant", paramLabel = "ALPHA",
            description = "static: SmoothQuant strength for MatMuls after a LayerNormalization (default 0.5; 0 = off).")
    Double smoothQuant;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the per-tensor report as JSON.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the per-tensor report as self-contained HTML (SQNR plotted).")
    Path html;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Mixin
    VerboseOption verboseOption;

    @Override
    public Integer call() throws Exception {
        QuantizeConfig config = config();
        ModelIO.refuseOverwritingInput(in, out); // before the calibration, not after it
        Model m = ModelIO.load(in);
        ModelChecker.check(m).requireValid();
        QuantizeReport report;
        String provenance = "quantize " + config.describe();
        if (config.mode() == QuantizeConfig.Mode.DYNAMIC) {
            report = DynamicQuantizer.quantize(m, config);
        } else {
            StaticQuantizer.Prepared p = StaticQuantizer.prepare(m, config);
            ActivationStats stats = p.newStats();
            int used = ActivationCollector.collect(p.model(), stats.names(),
                    s -> DataSpec.open(calibrationData, p.model(), s.inputs()), calibrationSamples, calibrationBatch,
                    stats::observe, new ProgressBar(spec.commandLine().getErr(), quiet));
            report = p.apply(stats);
            provenance += " calibration-data=" + calibrationData + " samples=" + used;
        }
        ModelChecker.check(m).requireValid();
        Provenance.record(m, provenance, in);
        SaveResult r = ModelIO.save(m, out);
        print(report, config, r);
        if (json != null) {
            OutputFiles.writeAtomically(json, Json.write(report));
        }
        if (html != null) {
            OutputFiles.writeAtomically(html, dev.bantam.cli.report.QuantizeHtml.render(report,
                    in.getFileName() + " → " + out.getFileName()));
        }
        return 0;
    }

    private QuantizeConfig config() {
        QuantizeConfig base = switch (mode) {
            case "dynamic" -> QuantizeConfig.dynamicDefaults();
            case "static" -> QuantizeConfig.staticDefaults();
            default -> throw new IllegalArgumentException("--mode must be dynamic or static, not '" + mode + "'");
        };
        if (base.mode() == QuantizeConfig.Mode.STATIC && calibrationData == null) {
            throw new IllegalArgumentException("--mode static needs --calibration-data (e.g. fmnist:,split=train)");
        }
        QuantizeConfig.Format f = switch (format) {
            case "qdq" -> QuantizeConfig.Format.QDQ;
            case "qoperator" -> QuantizeConfig.Format.QOPERATOR;
            default -> throw new IllegalArgumentException("--format must be qdq or qoperator, not '" + format + "'");
        };
        if (reduceRange && fullRange) {
            throw new IllegalArgumentException("--reduce-range and --full-range contradict each other");
        }
        if (calibrationSamples < 1 || calibrationBatch < 1) {
            throw new IllegalArgumentException("--calibration-samples and --calibration-batch must be >= 1");
        }
        return base.withFormat(f)
                .withWeights(!perTensor, reduceRange || !fullRange && base.reduceRange(), QuantType.parse(weightType))
                .withActivations(QuantType.parse(activationType), symmetricActivations)
                .withCalibration(CalibrationMethod.parse(calibration), percentile)
                .withOps(opTypes == null ? base.opTypes() : Set.copyOf(opTypes),
                        exclude.stream().map(Pattern::compile).toList(), Set.copyOf(excludeOpTypes), keepFirstLast)
                .withSmoothQuant(smoothQuant == null ? base.smoothQuantAlpha() : smoothQuant);
    }

    private void print(QuantizeReport report, QuantizeConfig config, SaveResult r) throws java.io.IOException {
        var o = spec.commandLine().getOut();
        long weights = report.layers().stream().filter(l -> l.kind().equals("weight")).count();
        long acts = report.layers().stream().filter(l -> l.kind().equals("activation")).count();
        o.printf(Locale.ROOT, "quantized %d weights and %d activations (%s)%n", weights, acts, config.describe());
        report.layers().stream().limit(verboseOption.verbose ? Long.MAX_VALUE : 5).forEach(l -> o.printf(Locale.ROOT,
                "  %-44s %-10s %-8s %-16s SQNR %5.1f dB%s%n", abbreviate(l.tensor(), 44), l.kind(), l.opType(),
                l.shape().isEmpty() ? "" : l.shape().toString(), l.sqnrDb(),
                l.clippedFraction() > 0 ? String.format(Locale.ROOT, "  clipped %.4f%%", 100 * l.clippedFraction()) : ""));
        report.leftInFloat().stream().limit(verboseOption.verbose ? Long.MAX_VALUE : 3)
                .forEach(x -> o.println("  note: " + x));
        if (!verboseOption.verbose && report.leftInFloat().size() > 3) {
            o.printf(Locale.ROOT, "  (%d more notes with --verbose or --json)%n", report.leftInFloat().size() - 3);
        }
        o.printf(Locale.ROOT, "%s -> %s (%s)%n", SummaryText.bytes(Files.size(in)),
                SummaryText.bytes(r.modelBytes() + r.externalBytes()), r.model());
    }

    private static String abbreviate(String s, int n) {
        return s.length() <= n ? s : "…" + s.substring(s.length() - n + 1);
    }
}
