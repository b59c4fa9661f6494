package dev.bantam.cli.report;

import dev.bantam.compress.share.SharedTensor;
import dev.bantam.compress.share.WeightSharingReport;
import java.util.Locale;

/** A weight-sharing step in HTML: every shared weight with its codebook, index width, SQNR and bytes. */
final class SharingSection {

    private SharingSection() {
    }

    static String render(WeightSharingReport r) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "<p class='meta'>stored weights %.2f MiB → %.2f "
                + "MiB (codebooks and packed indices); decoded when ONNX Runtime loads the model, so memory at run time "
                + "stays float32</p>", r.bytesBefore() / 1048576.0, r.bytesAfter() / 1048576.0));
        b.append("<h3>Shared weights (worst SQNR first)</h3><table><tr><th>weight</th><th>node</th><th>op</th>"
                + "<th>shape</th><th>codebook</th><th>values</th><th>index bits</th><th>SQNR dB</th><th>bytes</th>"
                + "<th>readers</th></tr>");
        for (SharedTensor t : r.tensors()) {
            b.append("<tr><td>").append(Html.esc(t.tensor())).append("</td><td class='l'>").append(Html.esc(t.node()))
                    .append("</td><td class='l'>").append(Html.esc(t.opType())).append("</td>")
                    .append(Html.td(t.shape().toString()))
                    .append("<td class='l'>").append(t.codebook().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .append(", ").append(t.granularity().name().toLowerCase(Locale.ROOT).replace('_', ' ')).append("</td>")
                    .append(Html.td("" + t.levels())).append(Html.td("" + t.indexBits()))
                    .append(Html.td(String.format(Locale.ROOT, "%.1f", t.sqnrDb())))
                    .append(Html.td(String.format(Locale.ROOT, "%,d → %,d", t.bytesBefore(), t.bytesAfter())))
                    .append(Html.td("" + t.readers().size())).append("</tr>");
        }
        return b.append("</table>").toString();
    }
}
