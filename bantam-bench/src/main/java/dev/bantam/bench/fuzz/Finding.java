package dev.bantam.bench.fuzz;

/**
 * One property violated by one case. {@code problem} is the property (see {@link Problem}); {@code detail} the
 * evidence (first stderr line, exception and frame, file name); {@code signature} groups findings of one cause.
 */
public record Finding(String kind, long seed, String command, String problem, String detail, String signature) {

    /** The properties the fuzzer checks. */
    public static final class Problem {
        public static final String EXIT_CODE = "exit-code";
        public static final String STACK_TRACE = "stack-trace";
        public static final String THROWN = "thrown";
        public static final String OOM = "out-of-memory";
        public static final String INVALID_OUTPUT = "invalid-output";
        public static final String ORT_REJECTS_OUTPUT = "ort-rejects-output";
        public static final String MODIFIED_INPUT = "modified-input";
        public static final String LEFTOVER_FILE = "leftover-file";
        public static final String HANG = "hang";
        public static final String CRASH = "crash";

        private Problem() {
        }
    }

    static Finding of(String kind, long seed, String command, String problem, String detail) {
        String d = detail == null ? "" : detail;
        return new Finding(kind, seed, command, problem, d, problem + " | " + command + " | " + Signatures.normalize(d));
    }
}
