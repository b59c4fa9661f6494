package dev.bantam.cli.report;

import dev.bantam.runtime.bench.SpeedCheck;
import java.util.Locale;

/** How the speed check reads on a terminal, in the reports, and as a warning when the output came out slower. */
public final class SpeedText {

    private SpeedText() {
    }

    /** One summary line: the ratio and what it came from. */
    public static String line(SpeedCheck.Result r) {
        return String.format(Locale.ROOT, "speed: %.2fx the input at batch %d (%.3f -> %.3f ms per batch, median of %d "
                + "interleaved rounds)", r.speedup(), r.batch(), r.inputMs(), r.outputMs(), r.rounds());
    }

    /** The warning for an output that runs slower than its input beyond noise. */
    public static String warning(SpeedCheck.Result r) {
        return String.format(Locale.ROOT, "the output is slower than the input: %.2fx its speed at batch %d (%.3f -> "
                + "%.3f ms per batch); keep the input where speed matters, or time another batch (--speed-batch) or "
                + "layout", r.speedup(), r.batch(), r.inputMs(), r.outputMs());
    }
}
