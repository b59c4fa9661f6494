package dev.bantam.compress.recipe;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Footprint;
import dev.bantam.compress.Macs;
import dev.bantam.compress.Technique;
import dev.bantam.compress.TechniqueReport;
import dev.bantam.compress.Techniques;
import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.ir.Model;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a recipe on a model, in place: each step's technique with its config, on the step's data or the
 * context's, the model checked before the first step and after every step, and each step recorded in the
 * model's provenance ({@link RecipeProvenance}). Every Bantam command that changes a model runs through
 * here, so a command, a recipe file and a library call with the same settings write the same bytes.
 */
public final class Compressor {

    private Compressor() {
    }

    public static CompressionReport compress(Model model, Recipe recipe, CompressionContext context) {
        ModelChecker.check(model).requireValid();
        List<String> notes = new ArrayList<>();
        Footprint first = footprint(model, context, notes);
        Footprint before = first;
        List<StepReport> steps = new ArrayList<>();
        List<RecipeStep> ran = new ArrayList<>();
        for (RecipeStep step : recipe.steps()) {
            Technique<?, ?> t = Techniques.of(step.config());
            boolean needsData = Techniques.needsData(step.config());
            String data = !needsData ? null : step.data() != null ? step.data() : context.calibrationData().orElse(null);
            CompressionContext ctx = step.data() != null && needsData ? context.withCalibrationData(step.data()) : context;
            TechniqueReport report = Techniques.apply(model, step.config(), ctx);
            ModelChecker.check(model).requireValid();
            // the config the technique reports it ran with: decisions it made by timing are fixed there, so the
            // recorded recipe replays byte for byte
            RecipeStep done = new RecipeStep(report.config() == null ? step.config() : report.config(), data);
            RecipeProvenance.record(model, done);
            ran.add(done);
            Footprint after = footprint(model, context, notes);
            steps.add(new StepReport(t.name(), data, report, before, after));
            before = after;
        }
        return new CompressionReport(new Recipe(ran), steps, first, before, notes);
    }

    /** The model's weights, and its MACs when the context can run it (a failure to count them is a note). */
    private static Footprint footprint(Model model, CompressionContext context, List<String> notes) {
        Macs macs = null;
        try {
            macs = context.macs(model).orElse(null);
        } catch (RuntimeException e) {
            String note = "MACs not counted: " + e.getMessage();
            if (!notes.contains(note)) {
                notes.add(note);
            }
        }
        return Footprint.of(model, macs);
    }
}
