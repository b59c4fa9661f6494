package dev.bantam.runtime.isolate;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs a main class in a fresh JVM like this one (same {@code java}, class path and options, see {@link JvmCommand}),
 * so that a crash in native code ends the child, not the caller. The child shares stdin and stderr; its stdout is
 * copied to the given stream as it comes, less the fatal-error report the JVM prints there (always on stdout, whatever
 * {@code -XX:+DisplayVMOutputToStderr} says). The child's stdout is therefore not a terminal: a child that draws
 * progress only on a terminal must be told by the caller (a system property in {@code jvmOptions}). It gets a
 * private temporary folder ({@code java.io.tmpdir}), deleted when it ends however it ends, so a crash leaves no
 * temporary file there; the JVM's crash report goes to that folder, and no core file is written.
 *
 * <p>A child that exits returns its exit code; one that dies of a signal throws {@link NativeCrashException}
 * naming it. A fault in native code is caught by the JVM's own handler, which prints its report and (core files
 * off) exits with status 1, so it is recognized by the report and the signal read from it; a signal the JVM does
 * not handle (SIGABRT from {@code abort()}, SIGKILL) shows in the exit status (128 + the signal), so a child's
 * own exit code above 128 reads as a signal too. A JVM that is itself a child ({@link #isChild()}) should do its
 * work in place rather than start another.
 */
public final class ChildJvm {

    /** The system property set in a child; its presence means "do not isolate again". */
    public static final String CHILD_PROPERTY = "bantam.isolate.child";

    private static final Set<String> FAULTS = Set.of("SIGSEGV", "SIGFPE", "SIGBUS", "SIGILL", "SIGABRT", "SIGTRAP");

    private ChildJvm() {
    }

    /** True in a JVM started by this class. */
    public static boolean isChild() {
        return Boolean.getBoolean(CHILD_PROPERTY);
    }

    /** {@link #run(String, List, List, OutputStream)} without extra options, stdout copied to {@code System.out}. */
    public static int run(String mainClass, List<String> args) throws IOException, InterruptedException {
        return run(mainClass, List.of(), args, System.out);
    }

    /**
     * Runs {@code mainClass} with {@code args} in a child JVM and waits for it.
     *
     * @param jvmOptions options for the child's JVM after those inherited (e.g. {@code -Xmx2g}, {@code -Dkey=value})
     * @param stdout     where the child's stdout goes
     * @return the child's exit code
     * @throws NativeCrashException when the child died of a signal
     */
    public static int run(String mainClass, List<String> jvmOptions, List<String> args, OutputStream stdout)
            throws IOException, InterruptedException {
        Path tmp = Files.createTempDirectory("bantam-child");
        try {
            ProcessBuilder pb = new ProcessBuilder(command(mainClass, jvmOptions, args, tmp))
                    .redirectInput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().remove("JDK_JAVA_OPTIONS");
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            Process p = pb.start();
            Thread stop = new Thread(() -> {
                stop(p);
                deleteTree(tmp);
            });
            Runtime.getRuntime().addShutdownHook(stop);
            FatalErrorFilter filter = new FatalErrorFilter(p.getInputStream(), stdout);
            Thread relay = Thread.ofPlatform().name("bantam-child-stdout").start(filter);
            int status;
            try {
                status = p.waitFor();
                relay.join();
            } finally {
                stop(p);
                removeHook(stop);
            }
            return exitCode(status, filter);
        } finally {
            deleteTree(tmp);
        }
    }

    private static List<String> command(String mainClass, List<String> jvmOptions, List<String> args, Path tmp) {
        List<String> cmd = new ArrayList<>();
        cmd.add(JvmCommand.javaExecutable());
        cmd.addAll(JvmCommand.inheritedOptions());
        cmd.addAll(jvmOptions);
        cmd.add("-Djava.io.tmpdir=" + tmp);
        cmd.add("-XX:ErrorFile=" + tmp.resolve("hs_err_pid%p.log"));
        cmd.add("-XX:-CreateCoredumpOnCrash");
        cmd.add("-D" + CHILD_PROPERTY + "=true");
        cmd.add("-cp");
        cmd.add(JvmCommand.classPath());
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    private static int exitCode(int status, FatalErrorFilter filter) {
        String signal = Signals.fromExitStatus(status);
        if (filter.sawFatalError()) {
            String named = filter.signal();
            throw new NativeCrashException(named != null ? named : signal != null ? signal : "exit " + status,
                    filter.frame(), true);
        }
        if (signal != null) {
            throw new NativeCrashException(signal, null, FAULTS.contains(signal));
        }
        return status;
    }

    /** Ends the child if it still runs (the caller was interrupted, or is shutting down) and waits a little for it. */
    private static void stop(Process p) {
        if (p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already: the hook runs, and finds the child gone
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
