package dev.bantam.cli;

import dev.bantam.compress.recipe.Recipe;
import dev.bantam.runtime.eval.Task;
import dev.bantam.train.finetune.FineTuneConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "fine-tune", mixinStandardHelpOptions = true,
        description = {"Train a model on labelled data (a recipe of one fine-tune step): cross-entropy on its logits, "
                + "in Java on the PyTorch engine; the output is the same graph with new weights.",
            "Use it to recover accuracy after pruning or quantization, or with --reinit to train a model from scratch."})
final class FineTuneCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelFiles files;

    @Option(names = "--data", required = true, paramLabel = "SPEC", description = "Labelled training data.")
    String data;

    @Option(names = "--eval-data", paramLabel = "SPEC", description = "Held-out data the result is evaluated on against the input.")
    String evalData;

    @Option(names = "--output-name", paramLabel = "NAME", description = "The logits output (default: the first output).")
    String output;

    @Mixin
    TrainOptions training;

    @Mixin
    ReportOptions reports;

    @Mixin
    VerboseOption verboseOption;

    @Override
    public Integer call() throws Exception {
        FineTuneConfig config = new FineTuneConfig(output, training.reinit, training.config(),
                training.checkpointFile(), training.resume);
        CompressionRun.Settings s = reports.speed(new CompressionRun.Settings(files.in, files.out, data, evalData,
                Task.CLASSIFY, 64, reports.json, reports.html, reports.quiet, verboseOption.verbose));
        return CompressionRun.run(s, CompressionRun.load(s), Recipe.of(config), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }
}
