package dev.bantam.runtime.isolate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Copies a child JVM's stdout to ours as it comes, except the JVM's fatal-error report:
 * from its first line on, the text is kept here instead, and the signal and the problematic frame are read from it.
 * A line the report interrupted is ended, so what the caller prints next starts a
 * line of its own.
 */
final class FatalErrorFilter implements Runnable {

    private static final byte[] MARKER = "#\n# A fatal error has been detected by the Java Runtime Environment:"
            .getBytes(StandardCharsets.US_ASCII);
    private static final int REPORT_LIMIT = 16 << 10;
    private static final Pattern SIGNAL = Pattern.compile("(?m)^#\\s+(SIG[A-Z]+) \\(0x");
    private static final Pattern FRAME = Pattern.compile("(?m)^# Problematic frame:\\n# (.+)$");

    private final InputStream in;
    private final OutputStream out;
    private final byte[] held = new byte[MARKER.length];
    private final ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    private final StringBuilder report = new StringBuilder();
    private int heldCount;
    private boolean swallowing;
    private boolean midLine;

    FatalErrorFilter(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public void run() {
        byte[] buf = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                for (int i = 0; i < n; i++) {
                    feed(buf[i]);
                }
                pass();
            }
            if (!swallowing) {
                chunk.write(held, 0, heldCount);
                heldCount = 0;
            }
            pass();
            if (swallowing && midLine) {
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            // the child's stdout closed under us or ours did: nothing left to copy
        }
    }

    private void feed(byte b) {
        if (swallowing) {
            if (report.length() < REPORT_LIMIT) {
                report.append((char) (b & 0xff));
            }
            return;
        }
        if (heldCount == 0 && b != MARKER[0]) {
            chunk.write(b);
            return;
        }
        held[heldCount++] = b;
        if (b == MARKER[heldCount - 1]) {
            if (heldCount == MARKER.length) {
                swallowing = true;
                heldCount = 0;
            }
            return;
        }
        byte[] rest = java.util.Arrays.copyOfRange(held, 1, heldCount);
        chunk.write(held[0]);
        heldCount = 0;
        for (byte r : rest) {
            feed(r);
        }
    }

    private void pass() throws IOException {
        if (chunk.size() > 0) {
            byte[] bytes = chunk.toByteArray();
            midLine = bytes[bytes.length - 1] != '\n';
            out.write(bytes);
            out.flush();
            chunk.reset();
        }
    }

    /** True once the JVM's fatal-error report began. */
    boolean sawFatalError() {
        return swallowing;
    }

    /** The signal the JVM's report names, or null. */
    String signal() {
        Matcher m = SIGNAL.matcher(report);
        return m.find() ? m.group(1) : null;
    }

    /** The problematic frame the JVM's report names, or null. */
    String frame() {
        Matcher m = FRAME.matcher(report);
        return m.find() ? m.group(1).strip() : null;
    }
}
