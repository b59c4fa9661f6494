package dev.bantam.cli.report;

import dev.bantam.compress.Decision;
import dev.bantam.compress.Footprint;
import dev.bantam.compress.TensorEntry;
import dev.bantam.compress.half.HalfPrecisionReport;
import dev.bantam.compress.lowrank.LowRankReport;
import dev.bantam.compress.optimize.OptimizeReport;
import dev.bantam.compress.quantize.QuantizeReport;
import dev.bantam.compress.recipe.CompressionReport;
import dev.bantam.compress.recipe.RecipeFormat;
import dev.bantam.compress.recipe.StepReport;
import dev.bantam.compress.share.WeightSharingReport;
import dev.bantam.compress.weightonly.WeightOnlyReport;
import dev.bantam.onnx.pass.PassManager;
import dev.bantam.runtime.eval.EvalResult;
import java.util.List;
import java.util.Locale;

/**
 * The report of a compression run (every model-changing command) as one self-contained HTML file: the model
 * before and after each step, what the result kept (when it was evaluated), each step's own section
 * (quantization: SQNR of every tensor; optimization: what each pass did), decisions, notes, and the recipe.
 */
public final class CompressHtml {

    private CompressHtml() {
    }

    /**
     * @param eval     the evaluation of the result against the input, or null when none was run
     * @param speed    the output timed against the input, or null when not checked
     * @param warnings what the user must know before trusting the result
     */
    public static String render(CompressionReport r, EvalResult eval, dev.bantam.runtime.bench.SpeedCheck.Result speed,
                                List<String> warnings, String title) {
        StringBuilder b = Html.page("Bantam: " + title, "Bantam: " + title);
        for (String w : warnings) {
            b.append("<p class='warn'>Warning: ").append(Html.esc(w)).append("</p>");
        }
        b.append("<h2>Footprint</h2>").append(footprints(r));
        if (speed != null) {
            b.append("<p class='").append(speed.slower() ? "warn" : "meta").append("'>").append(Html.esc(SpeedText.line(speed)))
                    .append(" on ").append(Html.esc(speed.data())).append(".</p>");
        }
        if (eval != null) {
            b.append("<h2>What it kept</h2>").append(EvalHtml.sections(eval));
        } else if (r.steps().stream().anyMatch(s -> s.report() instanceof QuantizeReport q && q.guard() != null)) {
            b.append("<h2>What it kept</h2><p class='meta'>Measured by the accuracy guard on items held out from "
                    + "calibration (below); give --eval-data SPEC for a full evaluation on data of your choice.</p>");
        } else {
            b.append("<h2>What it kept</h2><p class='warn'>Not evaluated: give --eval-data SPEC to measure the result "
                    + "against the input on held-out data.</p>");
        }
        int i = 1;
        for (StepReport s : r.steps()) {
            b.append("<h2>Step ").append(i++).append(": ").append(Html.esc(s.technique())).append("</h2>");
            if (s.data() != null) {
                b.append("<p class='meta'>data: ").append(Html.esc(s.data())).append("</p>");
            }
            switch (s.report()) {
                case QuantizeReport q -> b.append(QuantizeSection.render(q));
                case OptimizeReport o -> b.append(passes(o));
                case LowRankReport l -> b.append(LowRankSection.render(l));
                case WeightSharingReport w -> b.append(SharingSection.render(w));
                case WeightOnlyReport w -> b.append(WeightOnlySection.render(w));
                case HalfPrecisionReport h -> b.append(HalfSection.render(h));
                default -> b.append(tensors(s.report().tensors()));
            }
            b.append(decisions(s.report().decisions()));
            b.append(notes(s.report().notes()));
        }
        b.append(notes(r.notes()));
        b.append("<h2>Recipe</h2><p class='meta'>Run it again with <code>bantam compress IN -o OUT --recipe FILE</code>, "
                + "or from the output with <code>--recipe-from</code>.</p><pre>")
                .append(Html.esc(RecipeFormat.toYaml(r.recipe()))).append("</pre>");
        return Html.close(b);
    }

    private static String footprints(CompressionReport r) {
        StringBuilder b = new StringBuilder("<table><tr><th>model</th><th>parameters</th><th>weight MiB</th>"
                + "<th>MACs per item</th><th>of which int8</th></tr>");
        b.append(row("input", r.before()));
        for (StepReport s : r.steps()) {
            b.append(row("after " + s.technique(), s.after()));
        }
        return b.append("</table>").toString();
    }

    private static String row(String label, Footprint f) {
        return "<tr><td>" + Html.esc(label) + "</td>" + Html.td(String.format(Locale.ROOT, "%,d", f.parameters()))
                + Html.td(String.format(Locale.ROOT, "%.2f", f.parameterBytes() / 1048576.0))
                + Html.td(f.macs() == null ? "-" : String.format(Locale.ROOT, "%,d", f.macs().total()))
                + Html.td(f.macs() == null ? "-" : String.format(Locale.ROOT, "%,d", f.macs().int8())) + "</tr>";
    }

    private static String passes(OptimizeReport o) {
        StringBuilder b = new StringBuilder("<p class='meta'>nodes ").append(o.nodesBefore()).append(" → ")
                .append(o.nodesAfter()).append("</p><table><tr><th>pass</th><th>round</th><th>changed</th><th>what</th></tr>");
        for (PassManager.Run run : o.runs()) {
            if (run.changed()) {
                b.append("<tr><td>").append(Html.esc(run.pass())).append("</td>").append(Html.td("" + run.iteration()))
                        .append(Html.td("yes")).append("<td class='l'>").append(Html.esc(String.join("; ", run.notes())))
                        .append("</td></tr>");
            }
        }
        return b.append("</table>").toString();
    }

    /** Any technique's tensors: what every report has (name, node, operator, shape, SQNR). */
    private static String tensors(List<? extends TensorEntry> tensors) {
        if (tensors.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<h3>Tensors</h3><table><tr><th>tensor</th><th>node</th><th>op</th>"
                + "<th>shape</th><th>SQNR dB</th></tr>");
        for (TensorEntry t : tensors) {
            b.append("<tr><td>").append(Html.esc(t.tensor())).append("</td><td class='l'>").append(Html.esc(t.node()))
                    .append("</td><td class='l'>").append(Html.esc(t.opType())).append("</td>")
                    .append(Html.td(t.shape().isEmpty() ? "" : t.shape().toString()))
                    .append(Html.td(String.format(Locale.ROOT, "%.1f", t.sqnrDb()))).append("</tr>");
        }
        return b.append("</table>").toString();
    }

    private static String decisions(List<Decision> decisions) {
        List<Decision> skipped = decisions.stream().filter(d -> !d.applied()).toList();
        if (decisions.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<h3>Decisions</h3><p class='meta'>").append(decisions.size() - skipped.size())
                .append(" nodes changed, ").append(skipped.size()).append(" left as they were:</p>");
        if (skipped.isEmpty()) {
            return b.toString();
        }
        b.append("<table><tr><th>node</th><th>op</th><th>why it was left</th></tr>");
        for (Decision d : skipped) {
            b.append("<tr><td>").append(Html.esc(d.node())).append("</td><td class='l'>").append(Html.esc(d.opType()))
                    .append("</td><td class='l'>").append(Html.esc(d.reason())).append("</td></tr>");
        }
        return b.append("</table>").toString();
    }

    private static String notes(List<String> notes) {
        if (notes.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<h3>Notes</h3><ul>");
        notes.forEach(n -> b.append("<li>").append(Html.esc(n)).append("</li>"));
        return b.append("</ul>").toString();
    }
}
