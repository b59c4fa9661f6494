package dev.bantam.cli.report;

import dev.bantam.runtime.eval.EvalResult;
import dev.bantam.runtime.eval.ModelReport;
import java.util.List;
import java.util.Locale;

/**
 * The evaluation report as one self-contained HTML file: inline CSS and SVG, nothing fetched from the
 * network. A summary table, quality against size and against latency, and the distribution of per-item
 * cosine similarity to the reference.
 */
public final class EvalHtml {

    private static final String CSS = "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1150px}"
            + "table{border-collapse:collapse;margin:1em 0;font-size:14px}th,td{border:1px solid #ccc;padding:4px 8px;"
            + "text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left;white-space:nowrap}"
            + ".plots{display:flex;flex-wrap:wrap;gap:24px}.plot{border:1px solid #ddd;padding:8px}"
            + "h1{font-size:22px}h2{font-size:17px;margin-top:1.6em}.meta{color:#666;font-size:13px}";

    private EvalHtml() {
    }

    public static String render(EvalResult r) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>")
                .append("<title>Bantam evaluation</title><style>").append(CSS).append("</style></head><body>");
        b.append("<h1>Bantam evaluation: ").append(Html.esc(r.task())).append("</h1>");
        b.append("<p class='meta'>Data: ").append(Html.esc(r.data())).append(" · batch ").append(r.batchSize())
                .append(" · Bantam ").append(Html.esc(r.bantamVersion())).append("</p>");
        b.append(table(r.models()));
        String q = r.models().isEmpty() ? "quality" : Quality.of(r.models().getLast()).label();
        List<Svg.Point> bySize = r.models().stream().map(m -> new Svg.Point(m.name(), m.fileBytes() / 1048576.0,
                Quality.of(m).value())).toList();
        List<Svg.Point> byLatency = r.models().stream().map(m -> new Svg.Point(m.name(), m.latency().p50Ms(),
                Quality.of(m).value())).toList();
        b.append("<h2>Trade-offs</h2><div class='plots'>");
        b.append("<div class='plot'>").append(Svg.scatter(bySize, "file size (MiB)", q)).append("</div>");
        b.append("<div class='plot'>").append(Svg.scatter(byLatency, "latency p50 per batch (ms)", q)).append("</div>");
        b.append("</div><h2>Error distribution</h2><div class='plot' style='display:inline-block'>")
                .append(Svg.histogram(r.itemCosines(), 30, r.errorMetric())).append("</div>");
        return b.append("</body></html>\n").toString();
    }

    private static String table(List<ModelReport> models) {
        StringBuilder b = new StringBuilder("<table><tr><th>model</th><th>file MiB</th><th>params MiB</th><th>top-1</th>"
                + "<th>top-5</th><th>cos mean</th><th>cos p1</th><th>neighbours@10</th><th>probe acc</th>"
                + "<th>agreement</th><th>SQNR dB</th><th>p50 ms</th><th>p99 ms</th><th>items/s</th><th>memory MiB</th><th>µJ/item (est.)</th></tr>");
        for (ModelReport m : models) {
            var f = m.fidelity().isEmpty() ? null : m.fidelity().getFirst();
            Double cos = m.embedding() != null ? m.embedding().meanCosine() : f == null ? null : f.meanCosine();
            Double p1 = m.embedding() != null ? m.embedding().p1Cosine() : f == null ? null : f.p1Cosine();
            b.append("<tr><td>").append(Html.esc(m.name())).append("</td>")
                    .append(td(String.format(Locale.ROOT, "%.2f", m.fileBytes() / 1048576.0)))
                    .append(td(String.format(Locale.ROOT, "%.2f", m.parameterBytes() / 1048576.0)))
                    .append(td(EvalText.pct(m.accuracy() == null ? null : m.accuracy().top1())))
                    .append(td(EvalText.pct(m.accuracy() == null ? null : m.accuracy().top5())))
                    .append(td(EvalText.num(cos))).append(td(EvalText.num(p1)))
                    .append(td(EvalText.num(m.embedding() == null ? null : m.embedding().neighbourAgreement())))
                    .append(td(EvalText.pct(m.embedding() == null ? null : m.embedding().probeAccuracy())))
                    .append(td(EvalText.pct(f == null ? null : f.top1Agreement())))
                    .append(td(f == null ? "-" : String.format(Locale.ROOT, "%.1f", f.sqnrDb())))
                    .append(td(String.format(Locale.ROOT, "%.2f", m.latency().p50Ms())))
                    .append(td(String.format(Locale.ROOT, "%.2f", m.latency().p99Ms())))
                    .append(td(String.format(Locale.ROOT, "%.1f", m.latency().itemsPerSecond())))
                    .append(td(m.memoryBytes() < 0 ? "-" : String.format(Locale.ROOT, "%.1f", m.memoryBytes() / 1048576.0)))
                    .append(td(String.format(Locale.ROOT, "%.1f", m.energy().microjoulesPerItem()))).append("</tr>");
        }
        return b.append("</table>").toString();
    }

    private static String td(String s) {
        return "<td>" + Html.esc(s) + "</td>";
    }
}
