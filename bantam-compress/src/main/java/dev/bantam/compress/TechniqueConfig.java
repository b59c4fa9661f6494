package dev.bantam.compress;

/**
 * The settings of one technique: an immutable record, validated in its constructor, serializable as a recipe
 * step (its record components are the step's fields).
 */
public interface TechniqueConfig {

    /** The technique's name, as recipes write it. */
    String technique();
}
