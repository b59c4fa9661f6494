package dev.bantam.cli.report;

import dev.bantam.compress.half.Compute;
import dev.bantam.compress.half.HalfNode;
import dev.bantam.compress.half.HalfPrecisionReport;
import dev.bantam.compress.half.HalfTensor;
import java.util.Locale;

/**
 * A half-precision step in HTML: bytes and Casts, where every operator computes (with the magnitudes measured and
 * what ONNX Runtime's CPU provider makes of it), and every float32 constant, stored in the half type or not.
 */
final class HalfSection {

    private HalfSection() {
    }

    static String render(HalfPrecisionReport r) {
        String type = r.config().type().label();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "<p class='meta'>%s, compute %s, inputs and "
                + "outputs %s; constants %.2f MiB → %.2f MiB; %d Casts of activations at every run, %d Casts of weights "
                + "folded at load</p>", type, r.config().compute().name().toLowerCase(Locale.ROOT),
                r.config().keepIoTypes() ? "float32" : type, r.bytesBefore() / 1048576.0, r.bytesAfter() / 1048576.0,
                r.runtimeCasts(), r.loadCasts()));
        if (r.fidelity() != null) {
            b.append(String.format(Locale.ROOT, "<p class='meta'>against the float model on %d items: mean cosine %.7f, "
                    + "min %.7f, SQNR %.1f dB</p>", r.fidelity().items(), r.fidelity().meanCosine(),
                    r.fidelity().minCosine(), r.fidelity().sqnrDb()));
        }
        if (r.config().compute() == Compute.HALF) {
            b.append(operators(r, type));
        }
        b.append("<h3>Constants (stored in ").append(type).append(" first, lowest SQNR first)</h3><table><tr>")
                .append("<th>tensor</th><th>read by</th><th>shape</th><th>stored as</th><th>max |w|</th>")
                .append("<th>SQNR dB</th><th>overflow</th><th>flushed</th><th>bytes</th><th>why float32</th></tr>");
        for (HalfTensor t : r.tensors()) {
            b.append("<tr><td>").append(Html.esc(t.tensor())).append("</td><td class='l'>").append(Html.esc(t.node()))
                    .append(" (").append(Html.esc(t.opType())).append(")</td>").append(Html.td(t.shape().toString()))
                    .append(Html.td(t.converted() ? type : "float32"))
                    .append(Html.td(String.format(Locale.ROOT, "%.4g", t.maxAbs())))
                    .append(Html.td(String.format(Locale.ROOT, "%.1f", t.sqnrDb())))
                    .append(Html.td("" + t.overflow())).append(Html.td("" + t.flushed()))
                    .append(Html.td(String.format(Locale.ROOT, "%,d → %,d", t.bytesBefore(), t.bytesAfter())))
                    .append("<td class='l'>").append(Html.esc(t.reason() == null ? "" : t.reason())).append("</td></tr>");
        }
        return b.append("</table>").toString();
    }

    private static String operators(HalfPrecisionReport r, String type) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "<h3>Operators (%d of %d in %s; float32 first)"
                + "</h3><table><tr><th>node</th><th>op</th><th>computes in</th><th>max |x|</th><th>below normal</th>"
                + "<th>ONNX Runtime CPU</th><th>why</th></tr>", r.halfNodes(), r.nodes().size(), type));
        r.nodes().stream().sorted(java.util.Comparator.comparing(HalfNode::half)).forEach(n -> b.append("<tr><td>")
                .append(Html.esc(n.node())).append("</td><td class='l'>").append(Html.esc(n.opType())).append("</td>")
                .append(Html.td(n.half() ? type : "float32"))
                .append(Html.td(n.maxAbs() == null ? "-" : String.format(Locale.ROOT, "%.4g", n.maxAbs())))
                .append(Html.td(n.belowNormal() == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * n.belowNormal())))
                .append(Html.td(n.ortCpu() == null ? "-" : switch (n.ortCpu()) {
                    case NATIVE -> "own kernel";
                    case CASTS -> "casts around it";
                    case NONE -> "refused";
                }))
                .append("<td class='l'>").append(Html.esc(n.reason())).append("</td></tr>"));
        return b.append("</table>").toString();
    }
}
