package dev.bantam.cli.report;

import dev.bantam.compress.quantize.LayerReport;
import dev.bantam.compress.quantize.QuantizeReport;
import java.util.List;
import java.util.Locale;

/**
 * The quantization report as one self-contained HTML file: the SQNR of every quantized tensor as bars
 * (worst first, coloured by kind), the distribution of SQNR by kind, the per-tensor table (scale, zero point,
 * clipped fraction) and the notes.
 */
public final class QuantizeHtml {

    private static final String CSS = "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1150px}"
            + "table{border-collapse:collapse;margin:1em 0;font-size:13px}th,td{border:1px solid #ccc;padding:3px 7px;"
            + "text-align:right}th{background:#f3f3f3}td:first-child,th:first-child,td.l{text-align:left}"
            + ".plots{display:flex;flex-wrap:wrap;gap:24px}.plot{border:1px solid #ddd;padding:8px}"
            + "h1{font-size:22px}h2{font-size:17px;margin-top:1.6em}.meta{color:#666;font-size:13px}li{font-size:13px}";
    private static final int BARS = 60;

    private QuantizeHtml() {
    }

    public static String render(QuantizeReport r, String title) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>")
                .append("<title>Bantam quantization</title><style>").append(CSS).append("</style></head><body>");
        b.append("<h1>Bantam quantization: ").append(Html.esc(title)).append("</h1>");
        b.append("<p class='meta'>").append(Html.esc(r.config())).append(String.format(Locale.ROOT,
                " · quantized weights %.2f MiB float → %.2f MiB", r.floatBytesBefore() / 1048576.0,
                r.quantizedBytes() / 1048576.0)).append("</p>");
        b.append("<h2>What each tensor kept (SQNR, worst first)</h2><p class='meta'>")
                .append("<span style='color:#2b6cb0'>■</span> weight <span style='color:#d9822b'>■</span> activation ")
                .append("<span style='color:#9aa5b1'>■</span> bias; the ").append(BARS).append(" worst of ")
                .append(r.layers().size()).append(" tensors</p><div class='plots'><div class='plot'>")
                .append(bars(r.layers())).append("</div><div class='plot'>")
                .append(Svg.histogram(r.layers().stream().mapToDouble(LayerReport::sqnrDb).toArray(), 25, "SQNR (dB)"))
                .append("</div></div>");
        b.append("<h2>Tensors</h2><table><tr><th>tensor</th><th>kind</th><th>node</th><th>op</th><th>shape</th>"
                + "<th>scheme</th><th>scale</th><th>zero point</th><th>clipped</th><th>SQNR dB</th></tr>");
        for (LayerReport l : r.layers()) {
            b.append("<tr><td>").append(Html.esc(l.tensor())).append("</td><td class='l'>").append(l.kind())
                    .append("</td><td class='l'>").append(Html.esc(l.node())).append("</td><td class='l'>")
                    .append(Html.esc(l.opType())).append("</td><td>").append(l.shape().isEmpty() ? "" : l.shape())
                    .append("</td><td class='l'>").append(Html.esc(l.scheme())).append("</td><td>")
                    .append(l.minScale() == l.maxScale() ? fmt(l.minScale()) : fmt(l.minScale()) + " … " + fmt(l.maxScale()))
                    .append("</td><td>").append(l.zeroPoint() == null ? "per channel" : l.zeroPoint())
                    .append(String.format(Locale.ROOT, "</td><td>%.4f%%</td><td>%.1f</td></tr>", 100 * l.clippedFraction(),
                            l.sqnrDb()));
        }
        b.append("</table><h2>Notes</h2><ul>");
        r.leftInFloat().forEach(n -> b.append("<li>").append(Html.esc(n)).append("</li>"));
        return b.append("</ul></body></html>\n").toString();
    }

    /** Horizontal bars, one per tensor (the BARS worst), length = SQNR, colour = kind. */
    private static String bars(List<LayerReport> layers) {
        List<LayerReport> shown = layers.stream().limit(BARS).toList();
        double max = shown.stream().mapToDouble(LayerReport::sqnrDb).max().orElse(1);
        int row = 14;
        int label = 250;
        int width = 300;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-size='10' font-family='sans-serif'>",
                label + width + 50, shown.size() * row + 10));
        for (int i = 0; i < shown.size(); i++) {
            LayerReport l = shown.get(i);
            double w = Math.max(1, width * Math.max(0, l.sqnrDb()) / max);
            String colour = switch (l.kind()) {
                case "activation" -> "#d9822b";
                case "bias" -> "#9aa5b1";
                default -> "#2b6cb0";
            };
            String name = l.tensor().length() > 42 ? "…" + l.tensor().substring(l.tensor().length() - 41) : l.tensor();
            s.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='end'>%s</text>", label - 4, i * row + 11,
                    Html.esc(name)));
            s.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%.1f' height='%d' fill='%s'><title>%s %s: %.1f dB</title></rect>",
                    label, i * row + 2, w, row - 3, colour, Html.esc(l.kind()), Html.esc(l.tensor()), l.sqnrDb()));
            s.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d'>%.1f</text>", label + w + 3, i * row + 11, l.sqnrDb()));
        }
        return s.append("</svg>").toString();
    }

    private static String fmt(float v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
