package dev.bantam.compress.recipe;

/** A recipe that cannot be read or run as written; the message names the file and the place in it. */
public final class RecipeException extends IllegalArgumentException {

    public RecipeException(String message) {
        super(message);
    }
}
