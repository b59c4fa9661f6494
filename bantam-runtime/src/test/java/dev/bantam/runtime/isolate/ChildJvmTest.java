package dev.bantam.runtime.isolate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A child JVM's exit code comes back; a native crash comes back as the signal, with the JVM's report kept off stdout
 * and the child's temporary folder removed.
 */
class ChildJvmTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return ChildJvm.run(CrashingMain.class.getName(), List.of(), List.of(args), out);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exitCodeAndOutputComeBack() throws Exception {
        long before = childFolders();
        assertEquals(7, run("exit", "7"));
        assertEquals("child says hello\na line the crash interrupts #", stdout());
        assertEquals(before, childFolders(), "the child's temporary folder is gone");
    }

    @Test
    void signalInNativeCodeIsNamed() throws Exception {
        long before = childFolders();
        NativeCrashException e = assertThrows(NativeCrashException.class, () -> run("raise", "8"));
        assertEquals("SIGFPE", e.signal());
        assertTrue(e.isCrash());
        assertTrue(e.library().orElseThrow().startsWith("libc"), e.frame().toString());
        assertEquals("child says hello\na line the crash interrupts #\n", stdout(), "the JVM's report is not passed on");
        assertEquals(before, childFolders(), "the crash report and the child's temporary files are gone");
    }

    @Test
    void abortIsACrashWithoutTheJvmsReport() throws Exception {
        NativeCrashException e = assertThrows(NativeCrashException.class, () -> run("abort"));
        assertEquals("SIGABRT", e.signal());
        assertTrue(e.isCrash());
        assertTrue(e.frame().isEmpty());
    }

    @Test
    void killIsNotACrash() throws Exception {
        NativeCrashException e = assertThrows(NativeCrashException.class, () -> run("raise", "9"));
        assertEquals("SIGKILL", e.signal());
        assertFalse(e.isCrash());
        assertEquals("the child process was killed (SIGKILL)", e.getMessage());
    }

    @Test
    void childDoesNotIsolateAgain() {
        assertFalse(ChildJvm.isChild());
    }

    private static long childFolders() throws Exception {
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("bantam-child")).count();
        }
    }
}
