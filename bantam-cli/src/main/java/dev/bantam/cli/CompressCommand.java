package dev.bantam.cli;

import dev.bantam.compress.recipe.Recipe;
import dev.bantam.compress.recipe.RecipeFormat;
import dev.bantam.compress.recipe.RecipeProvenance;
import dev.bantam.compress.recipe.RecipeStep;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.io.Provenance;
import dev.bantam.onnx.ir.KeyValue;
import dev.bantam.onnx.ir.Model;
import dev.bantam.runtime.eval.Task;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compress", mixinStandardHelpOptions = true,
        description = {"Run a recipe (an ordered list of techniques, in a YAML or JSON file) on a model, then, with "
                + "--eval-data, measure what the result kept against the input.",
            "--recipe-from MODEL runs the recipe recorded in a model Bantam wrote (with the data it recorded, unless "
                + "--data is given)."})
final class CompressCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelFiles files;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Where the recipe comes from: a file, or a model's provenance. */
    static final class Source {
        @Option(names = "--recipe", paramLabel = "FILE", description = "The recipe file (.yaml, .yml or .json).")
        Path recipe;

        @Option(names = "--recipe-from", paramLabel = "MODEL", description = "A model whose recorded recipe to run.")
        Path recipeFrom;
    }

    @Option(names = "--data", paramLabel = "SPEC", description = "Calibration data for the steps that need it, as "
            + "for eval --data (e.g. fmnist:,split=train).")
    String data;

    @Option(names = "--eval-data", paramLabel = "SPEC", description = "Held-out data to evaluate the result against "
            + "the input on (accuracy, fidelity, size, latency), e.g. fmnist: (the test split).")
    String evalData;

    @Option(names = "--task", defaultValue = "classify", paramLabel = "TASK",
            description = "With --eval-data: classify, embed, raw, sequence or map (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--eval-batch", defaultValue = "32", paramLabel = "N",
            description = "With --eval-data: items per batch (default: ${DEFAULT-VALUE}).")
    int evalBatch;

    @Mixin
    ReportOptions reports;

    @Mixin
    VerboseOption verboseOption;

    @Override
    public Integer call() throws Exception {
        Task t = Task.parse(task);
        Recipe recipe = source.recipe != null ? RecipeFormat.read(source.recipe) : recorded(source.recipeFrom);
        CompressionRun.Settings s = reports.speed(new CompressionRun.Settings(files.in, files.out, data, evalData, t, evalBatch, reports.json, reports.html,
                reports.quiet, verboseOption.verbose));
        Model m = CompressionRun.load(s, source.recipe, source.recipeFrom);
        if (source.recipeFrom != null) {
            noteOtherInput(source.recipeFrom);
        }
        return CompressionRun.run(s, m, recipe, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** The recipe recorded in {@code model}; with --data, the recorded data of each step gives way to it. */
    private Recipe recorded(Path model) throws Exception {
        Model m = ModelIO.load(model);
        Recipe r = RecipeProvenance.read(m).orElseThrow(() -> new IllegalArgumentException(model
                + " records no recipe (it was not written by this version of Bantam's compress, quantize or optimize)"));
        return data == null ? r : new Recipe(r.steps().stream().map(st -> new RecipeStep(st.config(), null)).toList());
    }

    /** Says so when the input is not the one the recorded recipe was first run on. */
    private void noteOtherInput(Path recipeFrom) throws Exception {
        Model from = ModelIO.load(recipeFrom);
        Optional<String> recordedInput = from.metadata().stream().filter(kv -> Provenance.INPUT_SHA256.equals(kv.key()))
                .map(KeyValue::value).findFirst();
        String actual = Provenance.sha256(files.in);
        if (recordedInput.isPresent() && !recordedInput.get().equals(actual)) {
            spec.commandLine().getErr().println("bantam: note: " + files.in + " is not the input the recipe in " + recipeFrom
                    + " was recorded for; running it anyway");
        }
    }
}
