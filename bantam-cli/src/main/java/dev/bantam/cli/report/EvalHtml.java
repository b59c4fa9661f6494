package dev.bantam.cli.report;

import dev.bantam.runtime.eval.EvalResult;
import dev.bantam.runtime.eval.ModelReport;
import java.util.List;
import java.util.Locale;

/**
 * The evaluation report as one self-contained HTML file: a summary table, quality against size and against
 * latency, and the distribution of per-item cosine similarity to the reference. {@link #sections} is the
 * same content for a page of its own or inside the compression report.
 */
public final class EvalHtml {

    private EvalHtml() {
    }

    public static String render(EvalResult r) {
        StringBuilder b = Html.page("Bantam evaluation", "Bantam evaluation: " + r.task());
        return Html.close(b.append(sections(r)));
    }

    /** The summary line, table, trade-off plots and error distribution. */
    static String sections(EvalResult r) {
        StringBuilder b = new StringBuilder("<p class='meta'>Data: ").append(Html.esc(r.data())).append(" · ")
                .append(r.items()).append(" items · batch ").append(r.batchSize()).append(" · Bantam ")
                .append(Html.esc(r.bantamVersion())).append("</p>");
        if (dev.bantam.compress.recipe.RunWarnings.isSynthetic(r.data())) {
            b.append("<p class='warn'>Evaluated on synthetic data: agreement on random inputs is no evidence of "
                    + "quality on real data.</p>");
        }
        b.append(table(r.models()));
        b.append(ClassTable.render(r));
        b.append(outputs(r.models()));
        String q = r.models().isEmpty() ? "quality" : Quality.of(r.models().getLast()).label();
        List<Svg.Point> bySize = r.models().stream().map(m -> new Svg.Point(m.name(), m.fileBytes() / 1048576.0,
                Quality.of(m).value())).toList();
        List<Svg.Point> byLatency = r.models().stream().map(m -> new Svg.Point(m.name(), m.latency().p50Ms(),
                Quality.of(m).value())).toList();
        b.append("<h3>Trade-offs</h3><div class='plots'>");
        b.append("<div class='plot'>").append(Svg.scatter(bySize, "file size (MiB)", q)).append("</div>");
        b.append("<div class='plot'>").append(Svg.scatter(byLatency, "latency p50 per batch (ms)", q)).append("</div>");
        b.append("</div><h3>Error distribution</h3><div class='plot' style='display:inline-block'>")
                .append(Svg.histogram(r.itemCosines(), 30, r.errorMetric())).append("</div>");
        return b.toString();
    }

    /** Per output: error scale, and the sequence and map agreements where they apply. */
    private static String outputs(List<ModelReport> models) {
        StringBuilder b = new StringBuilder();
        for (ModelReport m : models) {
            for (var f : m.fidelity()) {
                if (b.isEmpty()) {
                    b.append("<h3>Outputs against the reference</h3><table><tr><th>model</th><th>output</th>"
                            + "<th>max |err|</th><th>reference RMS</th><th>SQNR dB</th><th>argmax agreement</th>"
                            + "<th>identical decodings</th><th>map agreement</th><th>map IoU</th></tr>");
                }
                b.append("<tr><td>").append(Html.esc(m.name())).append("</td><td>").append(Html.esc(f.output()))
                        .append("</td>").append(Html.td(String.format(Locale.ROOT, "%.4g", f.maxAbsError())))
                        .append(Html.td(String.format(Locale.ROOT, "%.4g", f.referenceRms())))
                        .append(Html.td(String.format(Locale.ROOT, "%.1f", f.sqnrDb())))
                        .append(Html.td(EvalText.pct(f.sequence() == null ? null : f.sequence().positionAgreement())))
                        .append(Html.td(EvalText.pct(f.sequence() == null ? null : f.sequence().decodeAgreement())))
                        .append(Html.td(EvalText.pct(f.map() == null ? null : f.map().agreement())))
                        .append(Html.td(EvalText.num(f.map() == null ? null : f.map().iou()))).append("</tr>");
            }
        }
        return b.isEmpty() ? "" : b.append("</table>").toString();
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
                    .append(Html.td(String.format(Locale.ROOT, "%.2f", m.fileBytes() / 1048576.0)))
                    .append(Html.td(String.format(Locale.ROOT, "%.2f", m.parameterBytes() / 1048576.0)))
                    .append(Html.td(EvalText.pct(m.accuracy() == null ? null : m.accuracy().top1())))
                    .append(Html.td(EvalText.pct(m.accuracy() == null ? null : m.accuracy().top5())))
                    .append(Html.td(EvalText.num(cos))).append(Html.td(EvalText.num(p1)))
                    .append(Html.td(EvalText.num(m.embedding() == null ? null : m.embedding().neighbourAgreement())))
                    .append(Html.td(EvalText.pct(m.embedding() == null ? null : m.embedding().probeAccuracy())))
                    .append(Html.td(EvalText.pct(f == null ? null : f.top1Agreement())))
                    .append(Html.td(f == null ? "-" : String.format(Locale.ROOT, "%.1f", f.sqnrDb())))
                    .append(Html.td(String.format(Locale.ROOT, "%.2f", m.latency().p50Ms())))
                    .append(Html.td(String.format(Locale.ROOT, "%.2f", m.latency().p99Ms())))
                    .append(Html.td(String.format(Locale.ROOT, "%.1f", m.latency().itemsPerSecond())))
                    .append(Html.td(m.memoryBytes() < 0 ? "-" : String.format(Locale.ROOT, "%.1f", m.memoryBytes() / 1048576.0)))
                    .append(Html.td(String.format(Locale.ROOT, "%.1f", m.energy().microjoulesPerItem()))).append("</tr>");
        }
        return b.append("</table>").toString();
    }
}
