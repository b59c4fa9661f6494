package dev.bantam.cli;

import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.io.Provenance;
import dev.bantam.onnx.io.SaveResult;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.optimize.Optimizer;
import dev.bantam.onnx.pass.Pass;
import dev.bantam.onnx.pass.PassManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = "Rewrite a model into an equivalent, simpler one with standard ONNX operators: constant "
                + "folding, clean-ups, deduplication; at the extended level also BatchNormalization folding and "
                + "MatMul+Add to Gemm. Prints what each pass did.")
final class OptimizeCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "The input .onnx file.")
    Path in;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The output .onnx file.")
    Path out;

    @Option(names = "--level", defaultValue = "basic", paramLabel = "LEVEL",
            description = "basic (bit-identical results) or extended (reassociates arithmetic); default ${DEFAULT-VALUE}.")
    String level;

    @Option(names = "--passes", split = ",", paramLabel = "PASS,...",
            description = "Run exactly these passes instead of a level's pipeline.")
    List<String> passes;

    @Option(names = "--target-opset", paramLabel = "N", description = "Raise the ai.onnx opset to N first (e.g. 17 "
            + "for LayerNormalization, 20 for Gelu fusion); refused when an operator has no safe conversion.")
    Long targetOpset;

    @picocli.CommandLine.Mixin
    VerboseOption verboseOption;

    @Override
    public Integer call() throws Exception {
        List<Pass> pipeline = passes != null ? Optimizer.named(passes) : Optimizer.pipeline(switch (level) {
            case "basic" -> Optimizer.Level.BASIC;
            case "extended" -> Optimizer.Level.EXTENDED;
            default -> throw new IllegalArgumentException("--level must be basic or extended, not '" + level + "'");
        });
        Model m = ModelIO.load(in);
        ModelChecker.check(m).requireValid();
        int nodesBefore = countNodes(m);
        List<PassManager.Run> runs = targetOpset == null ? Optimizer.optimize(m, pipeline)
                : Optimizer.optimize(m, pipeline, targetOpset);
        ModelChecker.check(m).requireValid();
        Provenance.record(m, "optimize " + (passes != null ? "--passes " + String.join(",", passes) : "--level " + level)
                + (targetOpset == null ? "" : " --target-opset " + targetOpset), in);
        SaveResult r = ModelIO.save(m, out);
        var o = spec.commandLine().getOut();
        for (PassManager.Run run : runs) {
            for (String note : run.notes()) {
                if (verboseOption.verbose || !note.contains(" skipped: ")) {
                    o.printf("%-34s %s%n", run.pass(), note);
                }
            }
        }
        o.printf("nodes %d -> %d; file %s -> %s (%s)%n", nodesBefore, countNodes(m), SummaryText.bytes(Files.size(in)),
                SummaryText.bytes(r.modelBytes() + r.externalBytes()), r.model());
        return 0;
    }

    private static int countNodes(Model m) {
        int[] n = {0};
        m.graph().forEachNodeRecursive(x -> n[0]++);
        return n[0];
    }
}
