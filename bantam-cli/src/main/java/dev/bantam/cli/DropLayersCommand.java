package dev.bantam.cli;

import dev.bantam.compress.recipe.Recipe;
import dev.bantam.runtime.eval.Task;
import dev.bantam.train.student.DropLayersConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "drop-layers", mixinStandardHelpOptions = true,
        description = {"Build a shallower student by bypassing repeated layers (transformer layers, residual blocks "
                + "found by the layer index in node names); the remaining layers keep their weights.",
            "Distill the result from the input to recover what the dropped layers did (bantam distill, or a recipe "
                + "of drop-layers then distill)."})
final class DropLayersCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelFiles files;

    @Option(names = "--layers", defaultValue = "every-other", paramLabel = "WHICH",
            description = "every-other (the second, fourth, ...) or layer indexes like 1,3,5 (default: ${DEFAULT-VALUE}).")
    String layers;

    @Option(names = "--eval-data", paramLabel = "SPEC", description = "Data the result is evaluated on against the input.")
    String evalData;

    @Option(names = "--task", defaultValue = "embed", paramLabel = "TASK",
            description = "With --eval-data: classify, embed, raw, sequence or map (default: ${DEFAULT-VALUE}).")
    String task;

    @Mixin
    ReportOptions reports;

    @Mixin
    VerboseOption verboseOption;

    @Override
    public Integer call() throws Exception {
        CompressionRun.Settings s = reports.speed(new CompressionRun.Settings(files.in, files.out, null, evalData,
                Task.parse(task), 32, reports.json, reports.html, reports.quiet, verboseOption.verbose));
        return CompressionRun.run(s, CompressionRun.load(s), Recipe.of(new DropLayersConfig(layers)),
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
