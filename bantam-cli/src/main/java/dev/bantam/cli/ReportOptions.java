package dev.bantam.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The report options of every model-changing command: JSON, HTML, and whether to draw progress. */
final class ReportOptions {

    @Option(names = "--json", paramLabel = "FILE", description = "Write the report as JSON (every tensor, decision and note).")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the report as self-contained HTML (plots included).")
    Path html;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;
}
