package dev.bantam.cli;

import dev.bantam.compress.optimize.OptimizeConfig;
import dev.bantam.compress.recipe.Recipe;
import dev.bantam.onnx.optimize.Optimizer;
import dev.bantam.runtime.eval.Task;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = "Rewrite a model into an equivalent, simpler one with standard ONNX operators: constant "
                + "folding, clean-ups, deduplication; at the extended level also BatchNormalization folding and "
                + "MatMul+Add to Gemm. Prints what each pass did (a recipe of one optimize step).")
final class OptimizeCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelFiles files;

    @Option(names = "--level", paramLabel = "LEVEL",
            description = "basic (bit-identical results; the default) or extended (reassociates arithmetic).")
    String level;

    @Option(names = "--passes", split = ",", paramLabel = "PASS,...",
            description = "Run exactly these passes instead of a level's pipeline.")
    List<String> passes;

    @Option(names = "--target-opset", paramLabel = "N", description = "Raise the ai.onnx opset to N first (e.g. 17 "
            + "for LayerNormalization, 20 for Gelu fusion; at most 23), converting each node; refused, naming the nodes, "
            + "when one has no conversion.")
    Long targetOpset;

    @picocli.CommandLine.Mixin
    ReportOptions reports;

    @picocli.CommandLine.Mixin
    VerboseOption verboseOption;

    @Override
    public Integer call() throws Exception {
        Optimizer.Level l = level == null ? (passes == null ? Optimizer.Level.BASIC : null) : switch (level) {
            case "basic" -> Optimizer.Level.BASIC;
            case "extended" -> Optimizer.Level.EXTENDED;
            default -> throw new IllegalArgumentException("--level must be basic or extended, not '" + level + "'");
        };
        if (l != null && passes != null) {
            throw new IllegalArgumentException("give --level or --passes, not both");
        }
        OptimizeConfig config = new OptimizeConfig(l, passes == null ? null : passes.stream().map(String::trim).toList(),
                targetOpset);
        CompressionRun.Settings s = new CompressionRun.Settings(files.in, files.out, null, null, Task.RAW, 32, reports.json, reports.html,
                true, verboseOption.verbose);
        return CompressionRun.run(s, CompressionRun.load(s), Recipe.of(config), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }
}
