package dev.bantam.cli.report;

import dev.bantam.compress.CalibrationChoice;
import dev.bantam.compress.GroupSensitivity;
import dev.bantam.compress.GuardResult;
import dev.bantam.compress.Score;
import dev.bantam.compress.SpeedGuardResult;
import java.util.List;
import java.util.Locale;

/** The accuracy guard in the terminal: the budget, the fully quantized score, what returned to float, the result. */
final class GuardText {

    private GuardText() {
    }

    static void append(StringBuilder b, GuardResult g, boolean verbose) {
        b.append(String.format(Locale.ROOT, "  accuracy guard (%s) on %d held-out items:%n", g.budget(), g.result().items()));
        b.append(String.format(Locale.ROOT, "    all %d groups int8: %s%n", g.groups(), score(g.unguarded())));
        for (CalibrationChoice c : g.calibration()) {
            if (g.keptFloat().contains(c.group())) {
                continue; // tried, then kept in float anyway: its ranges no longer matter
            }
            b.append(String.format(Locale.ROOT, "    calibrated by %s: %s (%d activations), loss %.3f -> %.3f of the budget%n",
                    c.method(), c.group(), c.activations().size(), c.lossBefore(), c.lossAfter()));
        }
        if (!g.keptFloat().isEmpty()) {
            b.append(String.format(Locale.ROOT, "    %d kept in float (%s): %s%n", g.keptFloat().size(),
                    g.bytesCost() > 0 ? String.format(Locale.ROOT, "+%,d bytes", g.bytesCost()) : "no size cost",
                    String.join(", ", g.keptFloat().stream().limit(verbose ? Long.MAX_VALUE : 8)
                            .toList()) + (!verbose && g.keptFloat().size() > 8 ? ", ..." : "")));
        }
        if (!g.keptFloat().isEmpty() || !g.calibration().isEmpty()) {
            b.append(String.format(Locale.ROOT, "    result: %s%n", score(g.result())));
        }
        b.append(String.format(Locale.ROOT, "    budget %s (%d model%s scored)%n", g.holds() ? "met" : "NOT met", g.scored(), g.scored() == 1 ? "" : "s"));
        List<GroupSensitivity> top = g.sensitivity().stream().limit(verbose ? Long.MAX_VALUE : 5).toList();
        if (!top.isEmpty()) {
            b.append(String.format(Locale.ROOT, "    most sensitive groups (mean cosine with only it int8 / with all but it "
                    + "int8, on %d items):%n", top.getFirst().onlyThis().items()));
            for (GroupSensitivity s : top) {
                b.append(String.format(Locale.ROOT, "      %-40s %-8s %.5f / %.5f%n", CompressText.abbreviate(s.group(), 40),
                        s.opType(), s.onlyThis().meanCosine(), s.allButThis().meanCosine()));
            }
        }
    }

    static void append(StringBuilder b, SpeedGuardResult s, boolean verbose) {
        b.append(String.format(Locale.ROOT, "  speed guard at batch %d: float %.3f ms, all int8 %.3f ms (%.2fx)", s.batch(),
                s.floatMs(), s.allMs(), s.floatMs() / s.allMs()));
        if (!s.keptFloat().isEmpty()) {
            b.append(String.format(Locale.ROOT, "; %d faster in float (%s): %.3f ms (%.2fx)%n", s.keptFloat().size(),
                    String.join(", ", s.keptFloat().stream().limit(verbose ? Long.MAX_VALUE : 6).toList())
                            + (!verbose && s.keptFloat().size() > 6 ? ", ..." : ""), s.resultMs(), s.speedup()));
        } else {
            b.append("; every group pays its way\n");
        }
        if (s.layouts().size() > 1) {
            b.append("    layouts, every group int8: ").append(String.join(", ", s.layouts().stream()
                    .map(t -> String.format(Locale.ROOT, "%s %.3f ms%s", t.layout(), t.ms(),
                            t.layout().equals(s.layout()) ? " (chosen)"
                                    : Boolean.FALSE.equals(t.accurate()) ? " (over the accuracy budget)" : ""))
                    .toList())).append('\n');
        }
    }

    static String score(Score s) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "mean cosine %.5f", s.meanCosine()));
        if (s.top1Agreement() != null) {
            b.append(String.format(Locale.ROOT, ", top-1 agreement %.1f%%", 100 * s.top1Agreement()));
        }
        if (s.positionAgreement() != null) {
            b.append(String.format(Locale.ROOT, ", per-position agreement %.1f%%", 100 * s.positionAgreement()));
        }
        if (s.referenceTop1() != null && s.candidateTop1() != null) {
            b.append(String.format(Locale.ROOT, ", top-1 %.2f%% (input %.2f%%)", 100 * s.candidateTop1(),
                    100 * s.referenceTop1()));
        }
        return b.toString();
    }
}
