package dev.bantam.runtime;

/**
 * How ONNX Runtime runs a model.
 *
 * @param intraOpThreads threads inside one operator (0: ONNX Runtime's default, all cores)
 * @param interOpThreads threads across operators (0: default)
 * @param optimize       whether ONNX Runtime applies its graph optimizations (true for realistic latency)
 */
public record RuntimeOptions(int intraOpThreads, int interOpThreads, boolean optimize) {

    public RuntimeOptions {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be >= 0");
        }
    }

    public static RuntimeOptions defaults() {
        return new RuntimeOptions(0, 1, true);
    }

    public static RuntimeOptions threads(int n) {
        return new RuntimeOptions(n, 1, true);
    }
}
