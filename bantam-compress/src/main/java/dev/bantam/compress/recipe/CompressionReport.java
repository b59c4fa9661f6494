package dev.bantam.compress.recipe;

import dev.bantam.compress.Footprint;
import java.util.List;

/**
 * What a compression run did: the recipe as run (every field written out), each step's report, and the
 * model's footprint before the first step and after the last, with notes about the run itself.
 */
public record CompressionReport(Recipe recipe, List<StepReport> steps, Footprint before, Footprint after,
                                List<String> notes) {

    public CompressionReport {
        steps = List.copyOf(steps);
        notes = List.copyOf(notes);
    }
}
