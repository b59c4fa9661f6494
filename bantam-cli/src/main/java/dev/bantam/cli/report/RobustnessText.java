package dev.bantam.cli.report;

import dev.bantam.runtime.eval.Robustness;
import java.util.Locale;

/** The robustness table: each perturbation's metric per model, with its change from clean. */
public final class RobustnessText {

    private RobustnessText() {
    }

    public static String format(Robustness.Result r) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "robustness (%s; change from clean in points):%n",
                r.metric()));
        b.append(String.format(Locale.ROOT, "%-14s", "perturbation"));
        r.models().forEach(m -> b.append(String.format(Locale.ROOT, " %24s", clip(m))));
        b.append('\n');
        for (int i = 0; i < r.rows().size(); i++) {
            b.append(String.format(Locale.ROOT, "%-14s", r.rows().get(i).perturbation()));
            for (int m = 0; m < r.models().size(); m++) {
                double v = r.rows().get(i).metric().get(m);
                b.append(String.format(Locale.ROOT, " %24s", i == 0 ? String.format(Locale.ROOT, "%.2f%%", 100 * v)
                        : String.format(Locale.ROOT, "%.2f%% (%+.2f)", 100 * v, 100 * r.change(i, m))));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String clip(String s) {
        return s.length() <= 24 ? s : "…" + s.substring(s.length() - 23);
    }
}
