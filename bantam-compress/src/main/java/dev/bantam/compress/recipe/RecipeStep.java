package dev.bantam.compress.recipe;

import dev.bantam.compress.TechniqueConfig;

/**
 * One step of a recipe: a technique's config, and the calibration data it runs on when that is not the
 * run's own ({@code null}: the run's data, or none for techniques that need none).
 */
public record RecipeStep(TechniqueConfig config, String data) {

    public RecipeStep {
        if (config == null) {
            throw new IllegalArgumentException("a recipe step needs a technique config");
        }
    }

    public static RecipeStep of(TechniqueConfig config) {
        return new RecipeStep(config, null);
    }

    public String technique() {
        return config.technique();
    }
}
