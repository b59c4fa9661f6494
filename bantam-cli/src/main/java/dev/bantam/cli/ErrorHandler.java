package dev.bantam.cli;

import dev.bantam.onnx.InvalidModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns a failure into one line on stderr and exit code 1; the stack trace only with --verbose.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        boolean verbose = parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"))
                || parsed.hasMatchedOption("--verbose");
        String line = message(ex);
        cl.getErr().println("bantam: " + (verbose ? line.replace(" (rerun with --verbose for details)", "") : line));
        if (verbose) {
            ex.printStackTrace(cl.getErr());
        }
        return 1;
    }

    static String message(Throwable ex) {
        Throwable e = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        String msg = switch (e) {
            case NoSuchFileException n -> "no such file: " + n.getFile();
            case AccessDeniedException a -> "permission denied: " + a.getFile();
            case FileAlreadyExistsException f -> "file exists: " + f.getFile();
            case InvalidModelException m -> m.getMessage();
            case dev.bantam.runtime.DataException d -> d.getMessage();
            case IOException io -> "I/O error: " + io.getMessage();
            case IllegalArgumentException ia -> ia.getMessage();
            case IllegalStateException is -> is.getMessage();
            case dev.bantam.onnx.pass.PassFailedException p -> p.getMessage() + " (rerun with --verbose for details)";
            case OutOfMemoryError o -> "out of memory: the model or the data needs more heap than this JVM has "
                    + "(set BANTAM_JAVA_OPTS=-Xmx...)";
            case StackOverflowError s -> "the model is nested too deeply to process";
            default -> null;
        };
        return msg == null || msg.isBlank() ? "internal error (a bug in Bantam; please report it; rerun with --verbose for details)"
                : msg.lines().findFirst().orElse("");
    }
}
