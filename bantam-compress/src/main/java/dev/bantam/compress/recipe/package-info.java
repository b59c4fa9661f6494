/**
 * Recipes: ordered lists of technique configs in a versioned YAML or JSON file ({@link
 * dev.bantam.compress.recipe.RecipeFormat}), run by {@link dev.bantam.compress.recipe.Compressor}, which
 * records each step in the model's provenance ({@link dev.bantam.compress.recipe.RecipeProvenance}).
 */
package dev.bantam.compress.recipe;
