package dev.bantam.compress.half;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.compress.recipe.Recipe;
import dev.bantam.compress.recipe.RecipeException;
import dev.bantam.compress.recipe.RecipeFormat;
import dev.bantam.compress.recipe.RecipeStep;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The half-precision step in recipes: only what differs from the defaults, read back as the same config. */
class HalfPrecisionRecipeTest {

    @Test
    void aStepReadsAsItsConfigAndWritesBackTheSame() {
        Recipe r = RecipeFormat.parse("""
                bantam-recipe: 1
                steps:
                  - half-precision: {type: bf16, compute: half, target: any, keepIoTypes: false,
                                     scope: {excludeNames: [head]}, minFidelity: 0.9999}
                    data: "fmnist:,split=train"
                """, "r.yaml", true);
        HalfPrecisionConfig d = HalfPrecisionConfig.defaults();
        HalfPrecisionConfig expected = d.withType(HalfType.BF16).withCompute(Compute.HALF).withTarget(Target.ANY)
                .withKeepIoTypes(false).withScope(d.scope().withExclusions(List.of(), List.of("head"))).withMinFidelity(0.9999);
        assertEquals(expected, r.steps().getFirst().config());
        assertEquals("fmnist:,split=train", r.steps().getFirst().data());
        Recipe written = new Recipe(List.of(new RecipeStep(expected.withDataAware(true), "fmnist:,split=train")));
        assertEquals(written, RecipeFormat.parse(RecipeFormat.toYaml(written), "w.yaml", true));
        assertTrue(RecipeFormat.toYaml(written).contains("target: any"), RecipeFormat.toYaml(written));
    }

    @Test
    void wrongValuesAreOneLineNamingThePlace() {
        RecipeException e = assertThrows(RecipeException.class, () -> RecipeFormat.parse(
                "bantam-recipe: 1\nsteps: [{half-precision: {type: fp8}}]", "r.yaml", true));
        assertEquals("r.yaml: steps[1].half-precision.type: expected one of fp16, bf16, found 'fp8'", e.getMessage());
        e = assertThrows(RecipeException.class, () -> RecipeFormat.parse(
                "bantam-recipe: 1\nsteps: [{half-precision: {dataAware: true}}]", "r.yaml", true));
        assertTrue(e.getMessage().contains("calibration data (dataAware) judges operators computing in the half type"),
                e.getMessage());
    }
}
