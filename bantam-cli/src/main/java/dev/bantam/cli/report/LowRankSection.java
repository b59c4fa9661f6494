package dev.bantam.cli.report;

import dev.bantam.compress.lowrank.FactorizedLayer;
import dev.bantam.compress.lowrank.LowRankReport;
import java.util.Locale;

/**
 * A low-rank step in HTML: every factorized layer with its form, rank, energy and SQNR, parameters, MACs and its
 * time alone in ONNX Runtime before and after.
 */
final class LowRankSection {

    private LowRankSection() {
    }

    static String render(LowRankReport r) {
        String timed = r.timedBatch() == 0 ? "" : " Times: each layer alone in ONNX Runtime, batch " + r.timedBatch()
                + ", median of interleaved rounds.";
        StringBuilder b = new StringBuilder("<h3>Factorized layers (worst SQNR first)</h3><p class='meta'>SQNR of the "
                + "layer's output on the calibration data when data-aware, of its weight otherwise." + timed
                + "</p><table><tr><th>layer</th><th>op</th><th>weight</th><th>form</th><th>rank</th><th>energy kept</th>"
                + "<th>SQNR dB</th><th>parameters</th><th>MACs per item</th><th>ms per batch</th></tr>");
        for (FactorizedLayer l : r.tensors()) {
            b.append("<tr><td>").append(Html.esc(l.node())).append("</td><td class='l'>").append(Html.esc(l.opType()))
                    .append("</td>").append(Html.td(l.shape().toString()))
                    .append("<td class='l'>").append(l.form().name().toLowerCase(Locale.ROOT))
                    .append(l.dataAware() ? ", data-aware" : "").append("</td>")
                    .append(Html.td(l.rank() + " of " + l.fullRank()))
                    .append(Html.td(String.format(Locale.ROOT, "%.1f%%", 100 * l.energyKept())))
                    .append(Html.td(String.format(Locale.ROOT, "%.1f", l.sqnrDb())))
                    .append(Html.td(String.format(Locale.ROOT, "%,d → %,d", l.parametersBefore(), l.parametersAfter())))
                    .append(Html.td(l.macsBefore() < 0 ? "-" : String.format(Locale.ROOT, "%,d → %,d", l.macsBefore(),
                            l.macsAfter())))
                    .append(Html.td(l.msBefore() == null ? "-" : String.format(Locale.ROOT, "%.3f → %.3f%s", l.msBefore(),
                            l.msAfter(), l.msAfter() > l.msBefore() ? " (slower)" : ""))).append("</tr>");
        }
        return b.append("</table>").toString();
    }
}
