package dev.bantam.compress;

import dev.bantam.onnx.ir.Model;

/**
 * A compression technique: applies a validated config to a model, in place, and says what it did. Everything
 * it needs from outside the model (statistics of activations on calibration data, scores of candidate models)
 * it asks of the {@link CompressionContext}; it never runs a model, prints or touches a file itself. An option
 * it cannot honour is refused with an {@link IllegalArgumentException} naming the option, before the model is
 * changed.
 *
 * @param <C> its config
 * @param <R> its report
 */
public interface Technique<C extends TechniqueConfig, R extends TechniqueReport> {

    /** The defaults a recipe step starts from; fields it names replace these. */
    C defaults();

    /** The name recipes use, e.g. {@code quantize-static}: the one its configs carry. */
    default String name() {
        return defaults().technique();
    }

    /** The config type, for recipes (a record, so the defaults' class is exactly it). */
    @SuppressWarnings("unchecked")
    default Class<C> configType() {
        return (Class<C>) defaults().getClass();
    }

    /** Whether this config runs the model on calibration data (the data is then recorded with the step). */
    default boolean needsData(C config) {
        return false;
    }

    /** Applies {@code config} to {@code model} in place. */
    R apply(Model model, C config, CompressionContext context);
}
