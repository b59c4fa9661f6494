package dev.bantam.runtime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The longest one ONNX Runtime run may take before it is stopped. A model can loop forever (a Loop with no
 * trip count whose condition stays true, or a trip count of 2^63); without a limit every command that runs
 * it would hang. When a run is stopped the caller gets a {@link DataException} naming the limit.
 *
 * <p>The limit is process-wide: the CLI sets it once from its environment; the default suits real models
 * on small machines (one run of a large model on two cores takes seconds to a minute).
 */
public final class RunLimit {

    /** The default limit of one run. */
    public static final Duration DEFAULT = Duration.ofMinutes(10);

    private static volatile Duration limit = DEFAULT;
    private static volatile String howToChange = "";

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bantam-run-limit");
        t.setDaemon(true);
        return t;
    });

    private RunLimit() {
    }

    /**
     * Sets the limit of every later run.
     *
     * @param value       a positive duration
     * @param howToChange shown after the limit when a run is stopped (e.g. "set BANTAM_RUN_LIMIT"), may be empty
     */
    public static void set(Duration value, String howToChange) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("the run limit must be positive, got " + value);
        }
        limit = value;
        RunLimit.howToChange = howToChange == null ? "" : howToChange;
    }

    public static Duration get() {
        return limit;
    }

    /**
     * Parses a duration such as {@code 90s}, {@code 10m}, {@code 1h} or {@code 2500ms}; a bare number is seconds.
     *
     * @throws IllegalArgumentException naming the text when it is not a positive duration
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h)?").matcher(s);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a positive duration such as 90s, 10m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** One run under the limit; close it (which cancels the watchdog) before closing the run options. */
    static final class Guard implements AutoCloseable {
        private final OrtSession.RunOptions options;
        private final Duration applied = limit;
        private final ScheduledFuture<?> timer;
        private boolean closed;
        private boolean fired;

        Guard() throws OrtException {
            options = new OrtSession.RunOptions();
            timer = WATCHDOG.schedule(this::stop, applied.toMillis(), TimeUnit.MILLISECONDS);
        }

        OrtSession.RunOptions options() {
            return options;
        }

        private synchronized void stop() {
            if (!closed) {
                try {
                    options.setTerminate(true);
                    fired = true;
                } catch (OrtException e) {
                    // the run ends on its own; nothing else to stop
                }
            }
        }

        /** The error for a failed run: the limit when the watchdog stopped it, else ONNX Runtime's message. */
        synchronized DataException failure(OrtException e) {
            if (fired) {
                String hint = howToChange.isEmpty() ? "" : "; " + howToChange + " to allow longer runs";
                return new DataException("ONNX Runtime stopped the model: one run took longer than the limit of "
                        + show(applied) + " (does a Loop never end?)" + hint, e);
            }
            return new DataException("ONNX Runtime failed to run the model: " + InferenceSession.firstLine(e.getMessage()), e);
        }

        @Override
        public void close() {
            timer.cancel(false);
            synchronized (this) {
                closed = true;
            }
            options.close();
        }
    }

    static String show(Duration d) {
        if (d.toMillis() % 3_600_000 == 0) {
            return d.toHours() + " h";
        }
        if (d.toMillis() % 60_000 == 0) {
            return d.toMinutes() + " min";
        }
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + " s";
        }
        return d.toMillis() + " ms";
    }
}
