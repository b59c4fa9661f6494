package dev.bantam.compress.recipe;

import dev.bantam.onnx.io.Provenance;
import dev.bantam.onnx.ir.KeyValue;
import dev.bantam.onnx.ir.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The recipe that made a model, kept in its {@code metadata_props}: {@code bantam.recipe} holds every step run
 * since the original input (whose SHA-256 is {@code bantam.input.sha256}), with all fields written out and
 * the data each data step ran on, so {@code compress --recipe-from} can run it again.
 */
public final class RecipeProvenance {

    public static final String RECIPE = "bantam.recipe";

    private RecipeProvenance() {
    }

    /** Records one step run on {@code model}, whose original input is the file the model was loaded from. */
    public static void record(Model model, RecipeStep step) {
        Path input = model.source();
        try {
            Provenance.record(model, step.technique() + (step.data() == null ? "" : " data=" + step.data()),
                    input != null && Files.isRegularFile(input) ? input : null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the input to record its hash: " + e.getMessage(), e);
        }
        Recipe one = new Recipe(List.of(step));
        Recipe done;
        try {
            done = read(model).map(r -> r.then(one)).orElse(one);
        } catch (RecipeException e) {
            done = one; // a recipe this Bantam cannot read (another version): history starts here
        }
        model.putMetadata(RECIPE, RecipeFormat.toJson(done));
    }

    /** The recipe recorded in a model; empty when it has none. */
    public static Optional<Recipe> read(Model model) {
        Optional<String> text = model.metadata().stream().filter(kv -> RECIPE.equals(kv.key())).map(KeyValue::value)
                .findFirst();
        return text.map(t -> RecipeFormat.parse(t, "the recipe recorded in the model (" + RECIPE + ")", false));
    }
}
