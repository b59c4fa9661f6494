package dev.bantam.cli.report;

import dev.bantam.compress.weightonly.WeightOnlyReport;
import dev.bantam.compress.weightonly.WeightOnlyTensor;
import java.util.Locale;

/**
 * A weight-only step in HTML: every weight stored in blocks with its bits, block size, algorithm, the SQNR of the
 * weight and (with calibration data) of the layer's output, and its bytes before and after.
 */
final class WeightOnlySection {

    private WeightOnlySection() {
    }

    static String render(WeightOnlyReport r) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "<h3>Weights in blocks (worst SQNR first)</h3>"
                + "<p class='meta'>%s; %,d → %,d bytes. Output SQNR: the layer's output x·W on the calibration rows "
                + "(GPTQ).</p><table><tr><th>layer</th><th>op</th><th>weight</th><th>bits</th><th>block</th>"
                + "<th>algorithm</th><th>SQNR dB</th><th>output SQNR dB</th><th>bytes</th></tr>",
                Html.esc(r.config().format().label()), r.bytesBefore(), r.bytesAfter()));
        for (WeightOnlyTensor t : r.tensors()) {
            b.append("<tr><td>").append(Html.esc(t.node())).append("</td><td class='l'>").append(Html.esc(t.opType()))
                    .append("</td>").append(Html.td(t.shape().toString()))
                    .append(Html.td(t.bits() + (t.symmetric() ? " sym" : "")))
                    .append(Html.td(String.valueOf(t.blockSize())))
                    .append("<td class='l'>").append(Html.esc(t.algorithm())).append("</td>")
                    .append(Html.td(String.format(Locale.ROOT, "%.1f", t.sqnrDb())))
                    .append(Html.td(t.outputSqnrDb() == null ? "-" : String.format(Locale.ROOT, "%.1f", t.outputSqnrDb())))
                    .append(Html.td(String.format(Locale.ROOT, "%,d → %,d", t.bytesBefore(), t.bytesAfter())))
                    .append("</tr>");
        }
        return b.append("</table>").toString();
    }
}
