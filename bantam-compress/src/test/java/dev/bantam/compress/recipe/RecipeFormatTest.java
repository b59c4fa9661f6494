package dev.bantam.compress.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.compress.Granularity;
import dev.bantam.compress.optimize.OptimizeConfig;
import dev.bantam.compress.quantize.DynamicQuantizeConfig;
import dev.bantam.compress.quantize.StaticQuantizeConfig;
import dev.bantam.compress.quantize.calibrate.CalibrationMethod;
import dev.bantam.onnx.optimize.Optimizer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Recipes as users write them: partial steps over the defaults, and one clear line for each kind of mistake. */
class RecipeFormatTest {

    private static Recipe yaml(String text) {
        return RecipeFormat.parse(text, "r.yaml", true);
    }

    @Test
    void aStepNamesOnlyWhatDiffersFromTheDefaults() {
        Recipe r = yaml("""
                bantam-recipe: 1
                steps:
                  - optimize: {level: extended, targetOpset: 17}
                  - quantize-static:
                      weights: {granularity: per-tensor, bits: 8}
                      calibration: {method: percentile, percentile: 99.9, samples: 200}
                      format: QOperator
                    data: "fmnist:,split=train"
                  - quantize-dynamic:
                """);
        assertEquals(3, r.steps().size());
        OptimizeConfig o = (OptimizeConfig) r.steps().get(0).config();
        assertEquals(Optimizer.Level.EXTENDED, o.level());
        assertEquals(17L, o.targetOpset());
        StaticQuantizeConfig s = (StaticQuantizeConfig) r.steps().get(1).config();
        StaticQuantizeConfig d = StaticQuantizeConfig.defaults();
        assertEquals(Granularity.PER_TENSOR, s.weights().granularity());
        assertEquals(8, s.weights().bits());
        assertEquals(d.weights().signed(), s.weights().signed(), "fields not named keep their defaults");
        assertEquals(CalibrationMethod.PERCENTILE, s.calibration().method());
        assertEquals(99.9, s.calibration().percentile());
        assertEquals(200, s.calibration().samples());
        assertEquals(d.calibration().batchSize(), s.calibration().batchSize());
        assertEquals(StaticQuantizeConfig.Format.QOPERATOR, s.format());
        assertEquals(d.scope(), s.scope());
        assertEquals("fmnist:,split=train", r.steps().get(1).data());
        assertEquals(DynamicQuantizeConfig.defaults(), r.steps().get(2).config());
        assertNull(r.steps().get(2).data());
    }

    @Test
    void writtenRecipesReadBackAsTheSameConfigs() {
        StaticQuantizeConfig s = StaticQuantizeConfig.defaults();
        Recipe r = new Recipe(List.of(RecipeStep.of(OptimizeConfig.level(Optimizer.Level.EXTENDED)),
                new RecipeStep(s.withScope(s.scope().withExclusions(List.of("Gemm"), List.of("^head", "Conv producing 'x'"))),
                        "fmnist:,split=train,limit=100")));
        assertEquals(r, RecipeFormat.parse(RecipeFormat.toJson(r), "json", false));
        assertEquals(r, yaml(RecipeFormat.toYaml(r)));
        assertEquals(RecipeFormat.toJson(r), RecipeFormat.toJson(RecipeFormat.parse(RecipeFormat.toJson(r), "j", false)),
                "writing is deterministic");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no version            | steps: [{optimize: {}}]                                                     | r.yaml: missing 'bantam-recipe: 1'
            another version       | 'bantam-recipe: 2\nsteps: [{optimize: {}}]'                                 | r.yaml: unsupported recipe version 2
            unknown top-level key | 'bantam-recipe: 1\nstep: []'                                                | r.yaml: unknown key 'step'
            no steps              | 'bantam-recipe: 1\nsteps: []'                                               | r.yaml: 'steps' must be a list of at least one step
            unknown technique     | 'bantam-recipe: 1\nsteps: [{quantise: {}}]'                                 | r.yaml: steps[1]: unknown technique 'quantise' (optimize, quantize-dynamic, quantize-static, share-weights, low-rank, quantize-weight-only, half-precision, prune-channels, prune-weights)
            two techniques        | 'bantam-recipe: 1\nsteps: [{optimize: {}, quantize-dynamic: {}}]'           | r.yaml: steps[1]: one technique per step
            unknown field         | 'bantam-recipe: 1\nsteps: [{optimize: {}}, {quantize-static: {calibration: {metod: mse}}}]' | r.yaml: steps[2].quantize-static.calibration: unknown field 'metod' (method, percentile, samples, batchSize, perActivation)
            bad per-activation    | 'bantam-recipe: 1\nsteps: [{quantize-static: {calibration: {perActivation: {x: median}}}}]' | r.yaml: steps[1].quantize-static.calibration: calibration.perActivation.x: 'median' is not a calibration method
            mistyped number       | 'bantam-recipe: 1\nsteps: [{quantize-static: {calibration: {samples: many}}}]' | r.yaml: steps[1].quantize-static.calibration.samples: expected an integer
            fraction for integer  | 'bantam-recipe: 1\nsteps: [{quantize-static: {calibration: {samples: 2.5}}}]' | r.yaml: steps[1].quantize-static.calibration.samples: expected an integer
            unknown enum value    | 'bantam-recipe: 1\nsteps: [{quantize-static: {format: qlinear}}]'           | r.yaml: steps[1].quantize-static.format: expected one of qdq, qoperator, found 'qlinear'
            mapping expected      | 'bantam-recipe: 1\nsteps: [{quantize-static: {weights: 8}}]'                | r.yaml: steps[1].quantize-static.weights: expected a mapping of settings
            refused value         | 'bantam-recipe: 1\nsteps: [{quantize-dynamic: {weights: {bits: 4}}}]'       | r.yaml: steps[1].quantize-dynamic: quantize-dynamic stores 8-bit weights
            refused op type       | 'bantam-recipe: 1\nsteps: [{quantize-static: {scope: {opTypes: [Softmax]}}}]' | r.yaml: steps[1].quantize-static: quantize-static cannot handle Softmax
            unknown pass          | 'bantam-recipe: 1\nsteps: [{optimize: {passes: [fold-all]}}]'               | r.yaml: steps[1].optimize: unknown pass 'fold-all'
            null primitive        | 'bantam-recipe: 1\nsteps: [{quantize-static: {smoothQuantAlpha: null}}]'    | r.yaml: steps[1].quantize-static.smoothQuantAlpha: expected a number
            not YAML              | 'bantam-recipe: 1\nsteps: [{optimize: {level: extended}'                    | r.yaml: not valid YAML at line
            not a mapping         | '- optimize'                                                                 | r.yaml: a recipe is a mapping
            data not text         | 'bantam-recipe: 1\nsteps: [{quantize-static: {}, data: [1]}]'                | r.yaml: steps[1].data: expected a data spec
            """)
    void malformedRecipesGetOneLineNamingThePlace(String what, String text, String message) {
        RecipeException e = assertThrows(RecipeException.class, () -> yaml(text.replace("\\n", "\n")));
        assertTrue(e.getMessage().startsWith(message), what + ": " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), what + ": one line");
        assertTrue(!e.getMessage().contains("Exception") && !e.getMessage().contains("java."), what + ": " + e.getMessage());
    }

    @Test
    void jsonRecipesToo() {
        Recipe r = RecipeFormat.parse("{\"bantam-recipe\": 1, \"steps\": [{\"quantize-dynamic\": {\"scope\": "
                + "{\"opTypes\": [\"MatMul\"]}}}]}", "r.json", false);
        assertEquals(List.of("MatMul"), ((DynamicQuantizeConfig) r.steps().getFirst().config()).scope().opTypes());
        RecipeException e = assertThrows(RecipeException.class, () -> RecipeFormat.parse("{\"bantam-recipe\": 1,",
                "r.json", false));
        assertTrue(e.getMessage().startsWith("r.json: not valid JSON at line 1"), e.getMessage());
    }
}
