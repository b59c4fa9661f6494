package dev.bantam.runtime.isolate;

/** Names of the Linux signals a process can die of, from its exit status (128 + the signal number). */
final class Signals {

    private static final String[] NAMES = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
        "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM"};

    private Signals() {
    }

    /** The signal a child died of, or null when {@code exitStatus} is an ordinary exit code. */
    static String fromExitStatus(int exitStatus) {
        int n = exitStatus - 128;
        if (n <= 0 || n > 64) {
            return null;
        }
        return n < NAMES.length ? NAMES[n] : "signal " + n;
    }
}
