package dev.bantam.runtime;

/**
 * How ONNX Runtime runs a model.
 *
 * @param intraOpThreads threads inside one operator (0: ONNX Runtime's default, all cores)
 * @param interOpThreads threads across operators (0: default)
 * @param optimize       whether ONNX Runtime applies its graph optimizations (true for realistic latency)
 * @param sharedPool     whether a session without thread counts of its own uses the process's one intra-op pool
 *                       (so that sessions held side by side do not disturb each other's timings); false gives it
 *                       a pool of its own, whose memory is then its own too (eval's per-session memory)
 */
public record RuntimeOptions(int intraOpThreads, int interOpThreads, boolean optimize, boolean sharedPool) {

    public RuntimeOptions {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be >= 0");
        }
    }

    public RuntimeOptions(int intraOpThreads, int interOpThreads, boolean optimize) {
        this(intraOpThreads, interOpThreads, optimize, true);
    }

    public static RuntimeOptions defaults() {
        return new RuntimeOptions(0, 1, true);
    }

    public static RuntimeOptions threads(int n) {
        return new RuntimeOptions(n, 1, true);
    }

    /** These options with a thread pool of the session's own. */
    public RuntimeOptions withOwnPool() {
        return new RuntimeOptions(intraOpThreads, interOpThreads, optimize, false);
    }
}
