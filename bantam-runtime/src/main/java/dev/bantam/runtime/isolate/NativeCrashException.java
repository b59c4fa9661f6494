package dev.bantam.runtime.isolate;

import java.util.Optional;

/**
 * A child JVM died of a signal: a crash in native code (the JVM's fatal-error handler caught {@code signal} and
 * aborted) or a signal from outside (SIGKILL from the out-of-memory killer, SIGTERM).
 */
public final class NativeCrashException extends RuntimeException {

    private final String signal;
    private final String frame;
    private final boolean crash;

    NativeCrashException(String signal, String frame, boolean crash) {
        super(describe(signal, frame, crash));
        this.signal = signal;
        this.frame = frame;
        this.crash = crash;
    }

    /** The signal's name, e.g. {@code SIGSEGV}. */
    public String signal() {
        return signal;
    }

    /** Where the JVM saw the crash, e.g. {@code C  [libonnxruntime.so+0x5fc0f9]}, when it said. */
    public Optional<String> frame() {
        return Optional.ofNullable(frame);
    }

    /** The native library the crash happened in, e.g. {@code libonnxruntime.so}, when the JVM said. */
    public Optional<String> library() {
        if (frame == null || frame.indexOf('[') < 0) {
            return Optional.empty();
        }
        String lib = frame.substring(frame.indexOf('[') + 1);
        int end = lib.indexOf('+');
        end = end < 0 ? lib.indexOf(']') : end;
        return end < 0 ? Optional.empty() : Optional.of(lib.substring(0, end));
    }

    /** True for a fault in the child's own code (SIGSEGV, SIGFPE, SIGBUS, SIGILL, SIGABRT), false for a kill. */
    public boolean isCrash() {
        return crash;
    }

    private static String describe(String signal, String frame, boolean crash) {
        if (!crash) {
            return "the child process was killed (" + signal + ")";
        }
        return "native code crashed (" + signal + (frame == null ? "" : " in " + frame.strip()) + ")";
    }
}
