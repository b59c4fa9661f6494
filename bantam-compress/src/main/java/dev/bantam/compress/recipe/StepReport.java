package dev.bantam.compress.recipe;

import dev.bantam.compress.Footprint;
import dev.bantam.compress.TechniqueReport;

/** One step of a compression run: what ran, on which data, what it reported, and the model before and after. */
public record StepReport(String technique, String data, TechniqueReport report, Footprint before, Footprint after) {
}
