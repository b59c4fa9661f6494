package dev.bantam.runtime.data;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.zip.ZipException;

/** What went wrong reading a data file, in words: many I/O exceptions carry no message (a truncated zip's EOF). */
final class IoProblem {

    private IoProblem() {
    }

    static String describe(IOException e) {
        String m = e.getMessage() == null || e.getMessage().isBlank() ? null : e.getMessage();
        return switch (e) {
            case EOFException x -> "the file ends early (truncated or damaged)" + (m == null ? "" : ": " + m);
            case ZipException x -> "not a valid zip archive" + (m == null ? "" : ": " + m);
            case NoSuchFileException x -> "no such file";
            case AccessDeniedException x -> "permission denied";
            default -> m != null ? m : "an I/O error with no detail";
        };
    }
}
