package dev.bantam.train.student;

import dev.bantam.compress.TechniqueConfig;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code drop-layers} recipe step: which repeated layers to bypass, "every-other" (the second, fourth, ...)
 * or a comma-separated list of layer indexes.
 */
public record DropLayersConfig(String layers) implements TechniqueConfig {

    public DropLayersConfig {
        if (layers == null || layers.isBlank()) {
            throw new IllegalArgumentException("layers must be every-other or a list of layer indexes like 1,3,5");
        }
        if (!layers.equals("every-other")) {
            indexes(layers);
        }
    }

    public static DropLayersConfig defaults() {
        return new DropLayersConfig("every-other");
    }

    @Override
    public String technique() {
        return "drop-layers";
    }

    static Set<Integer> indexes(String list) {
        Set<Integer> out = new TreeSet<>();
        for (String part : list.split(",")) {
            try {
                int i = Integer.parseInt(part.trim());
                if (i < 0) {
                    throw new NumberFormatException();
                }
                out.add(i);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("layers must be every-other or layer indexes like 1,3,5, not '"
                        + list + "'");
            }
        }
        return out;
    }
}
