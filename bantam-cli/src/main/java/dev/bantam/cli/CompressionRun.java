package dev.bantam.cli;

import dev.bantam.cli.report.CompressHtml;
import dev.bantam.cli.report.CompressText;
import dev.bantam.cli.report.EvalText;
import dev.bantam.cli.report.SpeedText;
import dev.bantam.compress.recipe.CompressionReport;
import dev.bantam.compress.recipe.Compressor;
import dev.bantam.compress.recipe.Recipe;
import dev.bantam.compress.recipe.RunWarnings;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.io.SaveResult;
import dev.bantam.onnx.ir.Model;
import dev.bantam.runtime.RuntimeOptions;
import dev.bantam.runtime.bench.SpeedCheck;
import dev.bantam.runtime.context.OrtContext;
import dev.bantam.runtime.eval.EvalConfig;
import dev.bantam.runtime.eval.EvalResult;
import dev.bantam.runtime.eval.Evaluator;
import dev.bantam.runtime.eval.Task;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every model-changing command does: refuse outputs that would destroy an input, load and run the recipe
 * through the {@link Compressor} with ONNX Runtime as the context, save, optionally evaluate the result against
 * the input on held-out data, print the summary and write the JSON and HTML reports. The commands differ only
 * in how they build the recipe.
 */
final class CompressionRun {

    /**
     * Where the data and reports go.
     *
     * @param speedCheck whether to time the output against the input (when there is data to time on)
     * @param speedBatch the batch to time at; 0 = the model's fixed batch, else 32
     * @param state      a recurrent model's state streamed through calibration, scoring and evaluation
     *                   (output to input); empty for none
     */
    record Settings(Path in, Path out, String data, String evalData, Task task, int evalBatch, Path json, Path html,
                    boolean quiet, boolean verbose, boolean speedCheck, int speedBatch, Map<String, String> state) {

        Settings(Path in, Path out, String data, String evalData, Task task, int evalBatch, Path json, Path html,
                 boolean quiet, boolean verbose) {
            this(in, out, data, evalData, task, evalBatch, json, html, quiet, verbose, false, 0, Map.of());
        }

        Settings withSpeedCheck(boolean check, int batch) {
            return new Settings(in, out, data, evalData, task, evalBatch, json, html, quiet, verbose, check, batch, state);
        }

        Settings withState(Map<String, String> pairs) {
            return new Settings(in, out, data, evalData, task, evalBatch, json, html, quiet, verbose, speedCheck,
                    speedBatch, Map.copyOf(pairs));
        }
    }

    private CompressionRun() {
    }

    /**
     * Checks the outputs before anything is loaded or computed, and again once the model is loaded and the files
     * it reads are known. {@code alsoReads} are further files the command reads (a recipe, a model it was
     * recorded from).
     */
    static Model load(Settings s, Path... alsoReads) throws Exception {
        guard(s, null, alsoReads).check();
        Model m = ModelIO.load(s.in());
        guard(s, m, alsoReads).check();
        return m;
    }

    private static OutputGuard guard(Settings s, Model m, Path... alsoReads) {
        OutputGuard g = new OutputGuard().model(s.in()).data(s.data()).data(s.evalData());
        for (Path p : alsoReads) {
            g.read("a file the command reads", p);
        }
        g.write("-o", s.out());
        if (m != null) {
            g.model(m);
            List<Path> written = ModelIO.filesWritten(m, s.out(), dev.bantam.onnx.io.SaveOptions.keep());
            if (written.size() > 1) {
                g.write("-o (its external data)", written.get(1));
            }
        }
        return g.write("--json", s.json()).write("--html", s.html());
    }

    /** The model file's bytes and those of every external data file it reads. */
    private static long fileBytes(Path in, Model m) throws java.io.IOException {
        long n = Files.size(in);
        java.util.Set<Path> seen = new java.util.HashSet<>();
        for (dev.bantam.onnx.ir.Tensor t : m.tensorsRecursive()) {
            if (t.data() instanceof dev.bantam.onnx.ir.TensorData.External e && seen.add(e.location().source().path())) {
                n += e.location().source().size();
            }
        }
        return n;
    }

    static int run(Settings s, Model m, Recipe recipe, PrintWriter out, PrintWriter err) throws Exception {
        ProgressBar progress = new ProgressBar(err, s.quiet());
        long inputBytes = fileBytes(s.in(), m);
        CompressionReport report;
        try (OrtContext context = OrtContext.builder().calibrationData(s.data()).evaluationData(s.evalData())
                .state(s.state()).progress(progress).build()) {
            report = Compressor.compress(m, recipe, context);
        }
        SaveResult saved = ModelIO.save(m, s.out());
        m = null; // saved: let its memory go before the evaluation and the speed check load models of their own
        EvalResult eval = null;
        if (s.evalData() != null) {
            eval = Evaluator.run(new EvalConfig(s.out(), s.in(), s.evalData(), s.task(), s.state().isEmpty()
                    ? s.evalBatch() : 1, RuntimeOptions.defaults(), 0.7, EvalConfig.DEFAULT_MAP_THRESHOLD, s.state()),
                    progress);
        }
        List<String> speedNotes = new java.util.ArrayList<>();
        SpeedCheck.Result speed = speedCheck(s, progress, speedNotes);
        out.print(CompressText.format(report, s.verbose()));
        if (eval != null) {
            out.print(EvalText.format(eval));
        }
        out.printf("%s -> %s (%s)%n", SummaryText.bytes(inputBytes),
                SummaryText.bytes(saved.modelBytes() + saved.externalBytes()), saved.model());
        if (speed != null) {
            out.println(SpeedText.line(speed));
        }
        speedNotes.forEach(n -> out.println("note: " + n));
        List<String> warnings = new java.util.ArrayList<>(RunWarnings.of(report));
        if (speed != null && speed.slower()) {
            warnings.add(SpeedText.warning(speed));
        }
        warnings.forEach(w -> out.println("warning: " + w));
        if (s.json() != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("compression", report);
            doc.put("speed", speed);
            doc.put("warnings", warnings);
            if (eval != null) {
                doc.put("evaluation", eval);
            }
            OutputFiles.writeAtomically(s.json(), Json.write(doc));
        }
        if (s.html() != null) {
            OutputFiles.writeAtomically(s.html(), CompressHtml.render(report, eval, speed, warnings,
                    s.in().getFileName() + " → " + s.out().getFileName()));
        }
        return 0;
    }

    /**
     * The output timed against the input on the command's data (evaluation data, else calibration data), or null
     * when the check is off or there is no data; a model the check cannot run leaves a note, not a failure: the
     * output is already written.
     */
    private static SpeedCheck.Result speedCheck(Settings s, ProgressBar progress, List<String> notes) {
        String data = s.evalData() != null ? s.evalData() : s.data();
        if (!s.speedCheck() || data == null) {
            return null;
        }
        try {
            return SpeedCheck.run(s.in(), s.out(), data, s.speedBatch(), RuntimeOptions.defaults(), progress);
        } catch (java.io.IOException | RuntimeException e) {
            notes.add("speed not checked: " + ErrorHandler.message(e));
            return null;
        }
    }
}
