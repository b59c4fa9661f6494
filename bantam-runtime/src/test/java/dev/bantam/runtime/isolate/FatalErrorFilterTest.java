package dev.bantam.runtime.isolate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Text passes unchanged, '#' characters included, however it is split; the JVM's report is kept back and read. */
class FatalErrorFilterTest {

    private static final String REPORT = """
            #
            # A fatal error has been detected by the Java Runtime Environment:
            #
            #  SIGSEGV (0xb) at pc=0x00007f5ae69fc0f9, pid=18927, tid=18928
            #
            # Problematic frame:
            # C  [libonnxruntime.so+0x5fc0f9]
            #
            """;

    /** Delivers its bytes a few at a time, as a pipe may. */
    private static InputStream trickle(String s, int step) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }

    private static FatalErrorFilter filter(String in, int step, ByteArrayOutputStream out) {
        FatalErrorFilter f = new FatalErrorFilter(trickle(in, step), out);
        f.run();
        return f;
    }

    @Test
    void ordinaryTextPassesUnchanged() {
        String text = "# heading\n#\n## [####    ] 4/8 #\n# A fatal error, but not the JVM's\nlast # line #";
        for (int step : new int[] {1, 2, 3, 7, 8192}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            FatalErrorFilter f = filter(text, step, out);
            assertEquals(text, out.toString(StandardCharsets.UTF_8), "step " + step);
            assertFalse(f.sawFatalError());
        }
    }

    @Test
    void reportIsKeptBackAndRead() {
        for (int step : new int[] {1, 5, 8192}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            FatalErrorFilter f = filter("result 1\n" + REPORT, step, out);
            assertEquals("result 1\n", out.toString(StandardCharsets.UTF_8));
            assertTrue(f.sawFatalError());
            assertEquals("SIGSEGV", f.signal());
            assertEquals("C  [libonnxruntime.so+0x5fc0f9]", f.frame());
        }
    }

    @Test
    void lineTheReportInterruptsIsEnded() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FatalErrorFilter f = filter("half a line ##" + REPORT.substring(0, 80), 3, out);
        assertEquals("half a line ##\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(f.sawFatalError());
        assertNull(f.signal());
    }
}
