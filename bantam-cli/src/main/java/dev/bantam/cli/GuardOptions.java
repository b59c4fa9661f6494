package dev.bantam.cli;

import dev.bantam.compress.AccuracyGuard;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The accuracy guard's options: its budget, the items it scores on, analysis, or off. */
final class GuardOptions {

    @Option(names = "--no-guard", description = "static: no accuracy guard (by default the result is scored against "
            + "the input on held-out data and groups return to float until the budget holds).")
    boolean noGuard;

    @Option(names = "--min-fidelity", paramLabel = "X", description = "static: the guard's least mean cosine of the "
            + "output to the input's (default 0.99, with --min-agreement 0.99, when no budget is given).")
    Double minFidelity;

    @Option(names = "--min-agreement", paramLabel = "X", description = "static: the guard's least top-1 agreement "
            + "with the input, for [items, classes] outputs (e.g. 0.99).")
    Double minAgreement;

    @Option(names = "--min-position-agreement", paramLabel = "X", description = "static: the guard's least "
            + "per-position top-1 agreement, for [items, positions, classes] outputs such as CTC text (e.g. 0.99).")
    Double minPositionAgreement;

    @Option(names = "--max-drop", paramLabel = "X", description = "static: the most top-1 accuracy the guard lets go, "
            + "as a fraction (0.01 = one point), on labelled held-out data.")
    Double maxDrop;

    @Option(names = "--guard-items", paramLabel = "N", description = "static: held-out items the guard scores each "
            + "candidate on (default 128; taken from the end of the calibration data, which calibration then skips).")
    Integer items;

    @Option(names = "--sensitivity", description = "static: measure every group's sensitivity even when the whole "
            + "model meets the budget (two scored models per group).")
    boolean sensitivity;

    /** The options given, by name, for refusing them where no guard runs. */
    List<String> given() {
        List<String> out = new ArrayList<>();
        add(out, noGuard, "--no-guard");
        add(out, minFidelity != null, "--min-fidelity");
        add(out, minAgreement != null, "--min-agreement");
        add(out, minPositionAgreement != null, "--min-position-agreement");
        add(out, maxDrop != null, "--max-drop");
        add(out, items != null, "--guard-items");
        add(out, sensitivity, "--sensitivity");
        return out;
    }

    private static void add(List<String> out, boolean given, String name) {
        if (given) {
            out.add(name);
        }
    }

    AccuracyGuard guard(AccuracyGuard d) {
        List<String> others = given();
        others.remove("--no-guard");
        if (noGuard) {
            if (!others.isEmpty()) {
                throw new IllegalArgumentException("--no-guard contradicts " + String.join(", ", others));
            }
            return d.withEnabled(false);
        }
        AccuracyGuard g = d;
        if (minFidelity != null || minAgreement != null || minPositionAgreement != null || maxDrop != null) {
            g = g.withBudget(minFidelity, minAgreement, minPositionAgreement, maxDrop);
        }
        return g.withItems(items == null ? g.items() : items).withAnalyse(sensitivity);
    }
}
