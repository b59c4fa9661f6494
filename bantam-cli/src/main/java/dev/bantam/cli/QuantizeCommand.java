package dev.bantam.cli;

import dev.bantam.compress.quantize.DynamicQuantizer;
import dev.bantam.compress.quantize.QuantizeConfig;
import dev.bantam.compress.quantize.QuantizeReport;
import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.io.Provenance;
import dev.bantam.onnx.io.SaveResult;
import dev.bantam.onnx.ir.Model;
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
        description = "Quantize a float model to INT8. Dynamic mode: MatMul weights int8 (per column by default), "
                + "activations quantized at run time (DynamicQuantizeLinear + MatMulInteger), embedding tables uint8. "
                + "Prints the layers whose weights kept the least (SQNR) first.")
final class QuantizeCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "The float .onnx model.")
    Path in;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The quantized .onnx file.")
    Path out;

    @Option(names = "--mode", defaultValue = "dynamic", description = "dynamic (static is not implemented yet).")
    String mode;

    @Option(names = "--per-tensor", description = "One scale per weight instead of one per output column.")
    boolean perTensor;

    @Option(names = "--reduce-range", description = "7-bit weights, for CPUs without VNNI where int8 products saturate.")
    boolean reduceRange;

    @Option(names = "--op-types", split = ",", defaultValue = "MatMul,Gather", paramLabel = "OP,...",
            description = "Operators to quantize (default: ${DEFAULT-VALUE}).")
    List<String> opTypes;

    @Option(names = "--exclude", paramLabel = "REGEX", description = "Leave nodes whose name matches in float.")
    List<String> exclude = List.of();

    @Option(names = "--json", paramLabel = "FILE", description = "Write the per-layer report as JSON.")
    Path json;

    @Mixin
    VerboseOption verboseOption;

    @Override
    public Integer call() throws Exception {
        if (!mode.equals("dynamic")) {
            throw new IllegalArgumentException("--mode " + mode + " is not implemented yet; use --mode dynamic");
        }
        QuantizeConfig config = new QuantizeConfig(QuantizeConfig.Mode.DYNAMIC, !perTensor, reduceRange,
                Set.copyOf(opTypes), exclude.stream().map(Pattern::compile).toList(), 1024);
        Model m = ModelIO.load(in);
        ModelChecker.check(m).requireValid();
        QuantizeReport report = DynamicQuantizer.quantize(m, config);
        ModelChecker.check(m).requireValid();
        Provenance.record(m, "quantize " + config.describe(), in);
        SaveResult r = ModelIO.save(m, out);
        var o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "quantized %d weights (%s); %d left in float%n", report.layers().size(), config.describe(),
                report.leftInFloat().size());
        report.layers().stream().limit(verboseOption.verbose ? Long.MAX_VALUE : 5).forEach(l -> o.printf(Locale.ROOT,
                "  %-52s %-7s %-16s SQNR %5.1f dB%n", l.node(), l.opType(), l.shape(), l.weightSqnrDb()));
        if (verboseOption.verbose) {
            report.leftInFloat().forEach(x -> o.println("  float: " + x));
        }
        o.printf(Locale.ROOT, "%s -> %s (%s)%n", SummaryText.bytes(Files.size(in)),
                SummaryText.bytes(r.modelBytes() + r.externalBytes()), r.model());
        if (json != null) {
            OutputFiles.writeAtomically(json, Json.write(report));
        }
        return 0;
    }
}
