package dev.bantam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    /** In a log (stderr not a terminal) a long run prints plain lines, a short one nothing, --quiet nothing. */
    @Test
    void logsPlainLinesWhenStderrIsNotATerminal() {
        StringWriter w = new StringWriter();
        ProgressBar log = new ProgressBar(new PrintWriter(w), false, false, 0);
        log.progress("evaluating", 320, 1000);
        log.progress("evaluating", 1000, 1000);
        assertEquals(List.of("bantam: evaluating 320/1000 (32%)", "bantam: evaluating 1000/1000 (100%)"),
                w.toString().lines().toList());

        StringWriter shortRun = new StringWriter();
        ProgressBar fast = new ProgressBar(new PrintWriter(shortRun), false, false, 5_000_000_000L);
        fast.progress("evaluating", 1, 2);
        fast.progress("evaluating", 2, 2);
        assertEquals("", shortRun.toString(), "within the interval: nothing");

        StringWriter quiet = new StringWriter();
        new ProgressBar(new PrintWriter(quiet), true, false, 0).progress("evaluating", 1, 2);
        assertEquals("", quiet.toString());
    }

    @Test
    void drawsABarInPlaceOnATerminal() {
        StringWriter w = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(w), false, true, 0);
        bar.progress("calibrating", 5, 10);
        bar.progress("calibrating", 10, 10);
        String s = w.toString();
        assertEquals(2, s.chars().filter(c -> c == '\r').count(), s);
        assertEquals(1, s.chars().filter(c -> c == '\n').count(), "one line, redrawn, ended when done: " + s);
        assertEquals(false, s.contains("bantam: "), "no log lines on a terminal");
    }
}
