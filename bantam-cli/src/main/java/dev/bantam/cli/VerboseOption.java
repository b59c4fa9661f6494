package dev.bantam.cli;

import picocli.CommandLine.Option;

/** The --verbose flag every command shares; {@link ErrorHandler} reads it to decide on stack traces. */
final class VerboseOption {

    @Option(names = "--verbose", description = "Show stack traces on errors (and, for optimize, why rewrites did not apply).")
    boolean verbose;
}
