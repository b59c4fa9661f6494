package dev.bantam.cli.report;

import dev.bantam.runtime.eval.EvalResult;
import dev.bantam.runtime.eval.ModelReport;
import dev.bantam.runtime.metrics.Accuracy;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The per-class section of an evaluation report: precision, recall and F1 of each class for every model, the
 * macro averages, and the classes whose recall the compressed model lost most, worst first.
 */
final class ClassTable {

    /** More classes than this are summarised (macro averages and the losses), not tabulated. */
    static final int MAX_ROWS = 100;

    private ClassTable() {
    }

    static String render(EvalResult r) {
        List<ModelReport> labeled = r.models().stream().filter(m -> m.accuracy() != null
                && !m.accuracy().perClass().isEmpty()).toList();
        if (labeled.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<h3>Per class</h3><table><tr><th>class</th><th>items</th>");
        for (ModelReport m : labeled) {
            String n = Html.esc(m.name());
            b.append("<th>").append(n).append(" precision</th><th>").append(n).append(" recall</th><th>").append(n)
                    .append(" F1</th>");
        }
        b.append("</tr>");
        List<Accuracy.ClassResult> rows = labeled.getFirst().accuracy().perClass();
        List<Map<Integer, Accuracy.ClassResult>> byLabel = labeled.stream().map(m -> m.accuracy().perClass().stream()
                .collect(Collectors.toMap(Accuracy.ClassResult::label, Function.identity()))).toList();
        if (rows.size() <= MAX_ROWS) {
            for (Accuracy.ClassResult c : rows) {
                b.append("<tr>").append(Html.td(c.name())).append(Html.td(Long.toString(c.support())));
                for (Map<Integer, Accuracy.ClassResult> m : byLabel) {
                    Accuracy.ClassResult x = m.get(c.label());
                    b.append(Html.td(x == null ? "-" : pct(x.precision()))).append(Html.td(x == null ? "-" : pct(x.recall())))
                            .append(Html.td(x == null ? "-" : pct(x.f1())));
                }
                b.append("</tr>");
            }
        }
        b.append("<tr><th>macro</th><th>").append(rows.stream().mapToLong(Accuracy.ClassResult::support).sum())
                .append("</th>");
        for (ModelReport m : labeled) {
            b.append("<th>").append(pct(m.accuracy().macroPrecision())).append("</th><th>")
                    .append(pct(m.accuracy().macroRecall())).append("</th><th>").append(pct(m.accuracy().macroF1()))
                    .append("</th>");
        }
        b.append("</tr></table>");
        List<ClassChange> lost = ClassChange.recallLost(r);
        if (!lost.isEmpty()) {
            b.append("<p class='meta'>Recall lost most by ").append(Html.esc(r.models().getLast().name())).append(": ")
                    .append(Html.esc(String.join(", ", lost.stream().limit(5).map(c -> String.format(Locale.ROOT,
                            "%s %s → %s (%d items)", c.name(), pct(c.before()), pct(c.after()), c.support())).toList())))
                    .append(".</p>");
        }
        return b.toString();
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
