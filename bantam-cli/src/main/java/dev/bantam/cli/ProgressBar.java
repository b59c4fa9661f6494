package dev.bantam.cli;

import dev.bantam.onnx.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn in place at most ten times a second; silent when stderr is
 * not a terminal or with --quiet.
 */
final class ProgressBar implements ProgressListener {

    private final PrintWriter err;
    private final boolean enabled;
    private long lastDraw;
    private String lastStage = "";

    ProgressBar(PrintWriter err, boolean quiet) {
        this.err = err;
        this.enabled = !quiet && System.console() != null && System.console().isTerminal();
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
