package dev.bantam.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The report options of every model-changing command: JSON, HTML, whether to draw progress, and the speed check
 * (the output timed against the input when the command has data).
 */
final class ReportOptions {

    @Option(names = "--json", paramLabel = "FILE", description = "Write the report as JSON (every tensor, decision and note).")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the report as self-contained HTML (plots included).")
    Path html;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Option(names = "--no-speed-check", description = "With data: do not time the output against the input.")
    boolean noSpeedCheck;

    @Option(names = "--speed-batch", paramLabel = "N", description = "The batch the speed check times at (default: the "
            + "model's fixed batch, else 32, at most the data's items).")
    Integer speedBatch;

    /** {@code s} with these speed-check options. */
    CompressionRun.Settings speed(CompressionRun.Settings s) {
        if (speedBatch != null && speedBatch < 1) {
            throw new IllegalArgumentException("--speed-batch must be at least 1, not " + speedBatch);
        }
        return s.withSpeedCheck(!noSpeedCheck, speedBatch == null ? 0 : speedBatch);
    }
}
