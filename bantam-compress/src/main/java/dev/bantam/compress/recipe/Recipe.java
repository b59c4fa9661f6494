package dev.bantam.compress.recipe;

import dev.bantam.compress.TechniqueConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An ordered list of technique configs, run one after the other on a model ({@link Compressor}). Written as
 * a versioned YAML or JSON file ({@link RecipeFormat}):
 *
 * <pre>
 * bantam-recipe: 1
 * steps:
 *   - optimize: {level: extended}
 *   - quantize-static:
 *       calibration: {method: percentile, percentile: 99.99}
 * </pre>
 *
 * A step names only what differs from the technique's defaults. A single-technique command is a recipe of
 * length one.
 */
public record Recipe(List<RecipeStep> steps) {

    /** The recipe format version this Bantam reads and writes. */
    public static final int VERSION = 1;

    public Recipe {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a recipe needs at least one step");
        }
    }

    public static Recipe of(TechniqueConfig... configs) {
        return new Recipe(Arrays.stream(configs).map(RecipeStep::of).toList());
    }

    /** This recipe followed by {@code more}. */
    public Recipe then(Recipe more) {
        List<RecipeStep> all = new ArrayList<>(steps);
        all.addAll(more.steps);
        return new Recipe(all);
    }
}
