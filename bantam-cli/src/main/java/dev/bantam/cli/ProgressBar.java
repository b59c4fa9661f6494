package dev.bantam.cli;

import dev.bantam.onnx.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn in place at most ten times a second; silent when the console is
 * not a terminal or with --quiet. In a child JVM ({@link IsolatedRun}) stdout is a pipe, so the parent says
 * whether its console is a terminal ({@value #TERMINAL_PROPERTY}).
 */
final class ProgressBar implements ProgressListener {

    /** Set in a child JVM to what {@link #interactive()} said in its parent. */
    static final String TERMINAL_PROPERTY = "bantam.terminal";

    private final PrintWriter err;
    private final boolean enabled;
    private long lastDraw;
    private String lastStage = "";

    ProgressBar(PrintWriter err, boolean quiet) {
        this.err = err;
        this.enabled = !quiet && interactive();
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
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
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
