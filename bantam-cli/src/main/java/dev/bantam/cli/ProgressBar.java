package dev.bantam.cli;

import dev.bantam.onnx.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn in place at most ten times a second; when the console is not a
 * terminal (a log, CI), a plain line every {@value #LOG_EVERY_SECONDS} seconds instead, so that a long run shows
 * it is alive and a short one prints nothing; silent with --quiet. In a child JVM ({@link IsolatedRun}) stdout is a pipe, so the parent says
 * whether its console is a terminal ({@value #TERMINAL_PROPERTY}).
 */
final class ProgressBar implements ProgressListener {

    /** Set in a child JVM to what {@link #interactive()} said in its parent. */
    static final String TERMINAL_PROPERTY = "bantam.terminal";

    /** How often a log line is printed when stderr is not a terminal. */
    static final int LOG_EVERY_SECONDS = 5;

    private final PrintWriter err;
    private final boolean enabled;
    private final boolean logLines;
    private final long logEveryNanos;
    private long lastDraw;
    private long lastLog = System.nanoTime();
    private String lastStage = "";

    ProgressBar(PrintWriter err, boolean quiet) {
        this(err, quiet, interactive(), LOG_EVERY_SECONDS * 1_000_000_000L);
    }

    ProgressBar(PrintWriter err, boolean quiet, boolean terminal, long logEveryNanos) {
        this.err = err;
        this.enabled = !quiet && terminal;
        this.logLines = !quiet && !terminal;
        this.logEveryNanos = logEveryNanos;
    }

    /** Whether progress can be drawn: the console is a terminal (or was, in the parent of a child JVM). */
    static boolean interactive() {
        String inherited = System.getProperty(TERMINAL_PROPERTY);
        if (inherited != null) {
            return Boolean.parseBoolean(inherited);
        }
        return System.console() != null && System.console().isTerminal();
    }

    @Override
    public void progress(String stage, long done, long total) {
        long now = System.nanoTime();
        if (logLines && now - lastLog >= logEveryNanos) {
            lastLog = now;
            err.printf(Locale.ROOT, "bantam: %s %d/%d%s%n", stage, done, total,
                    total > 0 ? String.format(Locale.ROOT, " (%d%%)", 100 * done / total) : "");
            err.flush();
        }
        if (!enabled) {
            return;
        }
        boolean finished = done >= total;
        if (!finished && stage.equals(lastStage) && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        lastStage = stage;
        int width = 30;
        int filled = total <= 0 ? 0 : (int) (width * done / total);
        err.printf(Locale.ROOT, "\r%-28s [%s%s] %d/%d%s", stage, "#".repeat(filled), " ".repeat(width - filled),
                done, total, finished ? "\n" : "");
        err.flush();
    }
}
