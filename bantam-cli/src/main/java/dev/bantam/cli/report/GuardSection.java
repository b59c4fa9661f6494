package dev.bantam.cli.report;

import dev.bantam.compress.CalibrationChoice;
import dev.bantam.compress.GroupSensitivity;
import dev.bantam.compress.GuardResult;
import dev.bantam.compress.Score;
import dev.bantam.compress.SpeedGuardResult;
import java.util.List;
import java.util.Locale;

/**
 * The accuracy guard in HTML: the budget, the fully quantized and the written model's scores, what was kept in
 * float, and each group's sensitivity as paired bars, most sensitive first, in units of the budget (1 = all of it).
 */
final class GuardSection {

    private static final int BARS = 60;

    private GuardSection() {
    }

    static String render(GuardResult g) {
        StringBuilder b = new StringBuilder("<h3>Accuracy guard</h3><p class='meta'>").append(Html.esc(g.budget()))
                .append(" · ").append(g.result().items()).append(" held-out items of ").append(Html.esc(g.data()))
                .append(" · ").append(g.scored()).append(" models scored</p>");
        b.append(g.holds() ? "<p>Budget met." : "<p class='warn'>Budget NOT met.");
        if (!g.keptFloat().isEmpty()) {
            b.append(String.format(Locale.ROOT, " %d groups kept in float (%,d bytes more than all int8): ",
                    g.keptFloat().size(), g.bytesCost())).append(Html.esc(String.join(", ", g.keptFloat())));
        }
        for (CalibrationChoice c : g.calibration()) {
            if (g.keptFloat().contains(c.group())) {
                continue;
            }
            b.append(String.format(Locale.ROOT, " %s calibrated by %s (%d activations): loss %.3f → %.3f of the budget.",
                    Html.esc(c.group()), Html.esc(c.method()), c.activations().size(), c.lossBefore(), c.lossAfter()));
        }
        b.append("</p><table><tr><th>model</th><th>mean cosine</th><th>1st pct cosine</th><th>top-1 agreement</th>"
                + "<th>per-position agreement</th><th>top-1</th></tr>");
        row(b, "all int8", g.unguarded());
        if (!g.keptFloat().isEmpty() || !g.calibration().isEmpty()) {
            row(b, "written", g.result());
        }
        b.append("</table>");
        if (!g.sensitivity().isEmpty()) {
            b.append("<h3>Sensitivity (most sensitive first)</h3><p class='meta'>on ")
                    .append(g.sensitivity().getFirst().onlyThis().items()).append(" held-out items; <span style='color:#d9822b'>■</span> loss "
                    + "with only this group int8 <span style='color:#2b6cb0'>■</span> loss won back with only this group "
                    + "in float; in units of the budget (the line at 1 is all of it); groups kept in float are bold</p>")
                    .append(bars(g.sensitivity(), g.keptFloat()));
        }
        return b.toString();
    }

    static String render(SpeedGuardResult s) {
        StringBuilder b = new StringBuilder("<h3>Speed guard</h3><p class='meta'>batch ").append(s.batch())
                .append(", ms per batch on real data, medians of interleaved rounds</p>");
        b.append(s.keptFloat().isEmpty() ? "<p>Every group in int8 pays its way.</p>"
                : "<p>" + s.keptFloat().size() + " groups ran faster in float and stayed float: "
                + Html.esc(String.join(", ", s.keptFloat())) + "</p>");
        b.append("<table><tr><th>model</th><th>ms per batch</th><th>speed vs float</th></tr>");
        speedRow(b, "float", s.floatMs(), s.floatMs());
        if (s.layouts().size() > 1) {
            for (SpeedGuardResult.LayoutTime t : s.layouts()) {
                speedRow(b, "all int8, " + t.layout() + (t.layout().equals(s.layout()) ? " (chosen)"
                        : Boolean.FALSE.equals(t.accurate()) ? " (over the accuracy budget)" : ""), t.ms(), s.floatMs());
            }
        }
        speedRow(b, "all int8" + (s.layouts().size() > 1 ? " (chosen layout, timed again)" : ""), s.allMs(), s.floatMs());
        speedRow(b, "written", s.resultMs(), s.floatMs());
        for (SpeedGuardResult.GroupTime t : s.perGroup()) {
            speedRow(b, "all int8 but " + t.group(), t.ms(), s.floatMs());
        }
        return b.append("</table>").toString();
    }

    private static void speedRow(StringBuilder b, String name, double ms, double floatMs) {
        b.append("<tr><td class='l'>").append(Html.esc(name)).append(String.format(Locale.ROOT,
                "</td><td>%.3f</td><td>%.2fx</td></tr>", ms, floatMs / ms));
    }

    private static void row(StringBuilder b, String name, Score s) {
        b.append("<tr><td class='l'>").append(name).append(String.format(Locale.ROOT, "</td><td>%.5f</td><td>%.5f</td>",
                s.meanCosine(), s.p1Cosine())).append("<td>").append(pct(s.top1Agreement())).append("</td><td>")
                .append(pct(s.positionAgreement())).append("</td><td>").append(pct(s.candidateTop1())).append("</td></tr>");
    }

    private static String pct(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String bars(List<GroupSensitivity> all, List<String> kept) {
        List<GroupSensitivity> shown = all.stream().limit(BARS).toList();
        double max = Math.max(1, shown.stream().mapToDouble(s -> Math.max(s.lossAlone(), s.recovery())).max().orElse(1));
        int row = 18;
        int label = 250;
        int width = 320;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-size='10' font-family='sans-serif'>",
                label + width + 60, shown.size() * row + 24));
        for (int i = 0; i < shown.size(); i++) {
            GroupSensitivity g = shown.get(i);
            String name = g.group().length() > 42 ? "…" + g.group().substring(g.group().length() - 41) : g.group();
            s.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='end'%s>%s</text>", label - 4,
                    i * row + 12, kept.contains(g.group()) ? " font-weight='bold'" : "", Html.esc(name)));
            bar(s, label, i * row + 2, width * Math.max(0, g.lossAlone()) / max, "#d9822b",
                    String.format(Locale.ROOT, "%s only int8: mean cosine %.5f", g.group(), g.onlyThis().meanCosine()));
            bar(s, label, i * row + 9, width * Math.max(0, g.recovery()) / max, "#2b6cb0",
                    String.format(Locale.ROOT, "%s alone in float: mean cosine %.5f", g.group(), g.allButThis().meanCosine()));
            s.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d'>%.3g</text>", label + width * Math.max(0,
                    Math.max(g.lossAlone(), g.recovery())) / max + 3, i * row + 12, g.sensitivity()));
        }
        double one = label + width / max;
        int bottom = shown.size() * row + 4;
        s.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='0' x2='%.1f' y2='%d' stroke='#c53030' "
                + "stroke-dasharray='3,2'/><text x='%.1f' y='%d' fill='#c53030'>budget</text>", one, one, bottom, one - 14,
                bottom + 12));
        return s.append("</svg>").toString();
    }

    private static void bar(StringBuilder s, int x, int y, double w, String colour, String title) {
        s.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%.1f' height='6' fill='%s'><title>%s</title></rect>",
                x, y, Math.max(1, w), colour, Html.esc(title)));
    }
}
