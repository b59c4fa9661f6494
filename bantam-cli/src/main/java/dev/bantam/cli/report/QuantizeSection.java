package dev.bantam.cli.report;

import dev.bantam.compress.quantize.QuantizeReport;
import dev.bantam.compress.quantize.QuantizedTensor;
import dev.bantam.compress.quantize.TensorKind;
import java.util.List;
import java.util.Locale;

/**
 * A quantization step in HTML: the SQNR of every quantized tensor as bars (worst first, coloured by kind), the
 * distribution of SQNR, and the per-tensor table (scheme, scale, zero point, clipped fraction).
 */
final class QuantizeSection {

    private static final int BARS = 60;

    private QuantizeSection() {
    }

    static String render(QuantizeReport r) {
        StringBuilder b = new StringBuilder("<p class='meta'>").append(String.format(Locale.ROOT,
                "%d weights, %d biases, %d activations quantized · quantized weights %.2f MiB float → %.2f MiB",
                r.count(TensorKind.WEIGHT), r.count(TensorKind.BIAS),
                r.count(TensorKind.ACTIVATION), r.floatBytes() / 1048576.0,
                r.quantizedBytes() / 1048576.0)).append("</p>");
        if (r.guard() != null) {
            b.append(GuardSection.render(r.guard()));
        }
        if (r.speedGuard() != null) {
            b.append(GuardSection.render(r.speedGuard()));
        }
        b.append("<h3>What each tensor kept (SQNR, worst first)</h3><p class='meta'>")
                .append("<span style='color:#2b6cb0'>■</span> weight <span style='color:#d9822b'>■</span> activation ")
                .append("<span style='color:#9aa5b1'>■</span> bias; the ").append(Math.min(BARS, r.tensors().size()))
                .append(" worst of ").append(r.tensors().size()).append(" tensors</p><div class='plots'><div class='plot'>")
                .append(bars(r.tensors())).append("</div><div class='plot'>")
                .append(Svg.histogram(r.tensors().stream().mapToDouble(QuantizedTensor::sqnrDb).toArray(), 25, "SQNR (dB)"))
                .append("</div></div>");
        b.append("<h3>Tensors</h3><table><tr><th>tensor</th><th>kind</th><th>node</th><th>op</th><th>shape</th>"
                + "<th>scheme</th><th>scale</th><th>zero point</th><th>clipped</th><th>SQNR dB</th></tr>");
        for (QuantizedTensor t : r.tensors()) {
            b.append("<tr><td>").append(Html.esc(t.tensor())).append("</td><td class='l'>").append(kind(t))
                    .append("</td><td class='l'>").append(Html.esc(t.node())).append("</td><td class='l'>")
                    .append(Html.esc(t.opType())).append("</td><td>").append(t.shape().isEmpty() ? "" : t.shape())
                    .append("</td><td class='l'>").append(Html.esc(t.scheme().describe())).append("</td><td>")
                    .append(t.minScale() == t.maxScale() ? fmt(t.minScale()) : fmt(t.minScale()) + " … " + fmt(t.maxScale()))
                    .append("</td><td>").append(t.zeroPoint() == null ? "per channel" : t.zeroPoint())
                    .append(String.format(Locale.ROOT, "</td><td>%.4f%%</td><td>%.1f</td></tr>", 100 * t.clippedFraction(),
                            t.sqnrDb()));
        }
        return b.append("</table>").toString();
    }

    private static String kind(QuantizedTensor t) {
        return t.kind().name().toLowerCase(Locale.ROOT);
    }

    /** Horizontal bars, one per tensor (the BARS worst), length = SQNR, colour = kind. */
    private static String bars(List<QuantizedTensor> tensors) {
        List<QuantizedTensor> shown = tensors.stream().limit(BARS).toList();
        double max = shown.stream().mapToDouble(QuantizedTensor::sqnrDb).max().orElse(1);
        int row = 14;
        int label = 250;
        int width = 300;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-size='10' font-family='sans-serif'>",
                label + width + 50, shown.size() * row + 10));
        for (int i = 0; i < shown.size(); i++) {
            QuantizedTensor t = shown.get(i);
            double w = Math.max(1, width * Math.max(0, t.sqnrDb()) / Math.max(max, 1e-9));
            String colour = switch (t.kind()) {
                case ACTIVATION -> "#d9822b";
                case BIAS -> "#9aa5b1";
                case WEIGHT -> "#2b6cb0";
            };
            String name = t.tensor().length() > 42 ? "…" + t.tensor().substring(t.tensor().length() - 41) : t.tensor();
            s.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='end'>%s</text>", label - 4, i * row + 11,
                    Html.esc(name)));
            s.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%.1f' height='%d' fill='%s'><title>%s %s: %.1f dB</title></rect>",
                    label, i * row + 2, w, row - 3, colour, kind(t), Html.esc(t.tensor()), t.sqnrDb()));
            s.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d'>%.1f</text>", label + w + 3, i * row + 11, t.sqnrDb()));
        }
        return s.append("</svg>").toString();
    }

    private static String fmt(float v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
