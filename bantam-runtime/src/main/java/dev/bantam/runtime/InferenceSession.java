package dev.bantam.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.bantam.onnx.ir.Tensor;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model loaded in ONNX Runtime. Feeds are checked against the model's inputs before a run, so a
 * mismatch is a {@link DataException} naming the input rather than a native error.
 */
public final class InferenceSession implements AutoCloseable {

    private final OrtSession session;
    private final List<InputInfo> inputs;
    private final List<String> outputs;

    private InferenceSession(OrtSession session) throws OrtException {
        this.session = session;
        List<InputInfo> in = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
            if (e.getValue().getInfo() instanceof TensorInfo ti) {
                in.add(new InputInfo(e.getKey(), TensorBridge.typeOf(ti), ti.getShape()));
            } else {
                throw new DataException("input '" + e.getKey() + "' is not a tensor; only tensor inputs are supported");
            }
        }
        this.inputs = List.copyOf(in);
        this.outputs = List.copyOf(session.getOutputNames());
    }

    /** Whether the process's environment has the shared intra-op pool (null: no environment made yet). */
    private static Boolean sharedPool;

    /**
     * The process's ONNX Runtime environment, made on first use with one intra-op thread pool (all cores) that every
     * session without a thread count of its own shares. With a pool per session, sessions held open side by side
     * (the speed guard times twenty copies of a model in interleaved rounds) disturb each other: their idle workers
     * spin, and the float model, whose kernels use every thread, was timed 2x slower than alone. A shared pool is
     * also what a service running one session sees. When the environment was made elsewhere first (a test's),
     * sessions keep their own pools.
     */
    static synchronized OrtEnvironment env() {
        // FATAL: ONNX Runtime's errors come back as exceptions that Bantam words itself; logged too, they would
        // reach the user's terminal twice, once as a raw coloured log line
        if (sharedPool == null) {
            try (OrtEnvironment.ThreadingOptions t = new OrtEnvironment.ThreadingOptions()) {
                OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, OrtEnvironment.DEFAULT_NAME, t);
                sharedPool = true;
            } catch (IllegalStateException e) {
                sharedPool = false; // an environment exists already
            }
        }
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
    }

    private static OrtSession.SessionOptions sessionOptions(RuntimeOptions o) throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        env();
        if (sharedPool && o.sharedPool() && o.intraOpThreads() == 0 && o.interOpThreads() <= 1) {
            so.disablePerSessionThreads();
        } else {
            if (o.intraOpThreads() > 0) {
                so.setIntraOpNumThreads(o.intraOpThreads());
            }
            if (o.interOpThreads() > 0) {
                so.setInterOpNumThreads(o.interOpThreads());
            }
        }
        so.setOptimizationLevel(o.optimize() ? OrtSession.SessionOptions.OptLevel.ALL_OPT
                : OrtSession.SessionOptions.OptLevel.NO_OPT);
        so.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        return so;
    }

    /** Opens a model file (external data beside it is found by ONNX Runtime). */
    public static InferenceSession open(Path model, RuntimeOptions options) throws NoSuchFileException {
        if (!Files.isRegularFile(model)) {
            throw new NoSuchFileException(model.toString());
        }
        try (OrtSession.SessionOptions so = sessionOptions(options)) {
            return new InferenceSession(env().createSession(model.toString(), so));
        } catch (OrtException e) {
            boolean temporary = model.getParent() != null && model.getParent().getFileName() != null
                    && model.getParent().getFileName().toString().startsWith("bantam-");
            throw new DataException("ONNX Runtime cannot load " + (temporary ? "the model" : model) + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    /** Opens a serialized model held in memory (all tensors inline). */
    public static InferenceSession open(byte[] model, RuntimeOptions options) {
        try (OrtSession.SessionOptions so = sessionOptions(options)) {
            return new InferenceSession(env().createSession(model, so));
        } catch (OrtException e) {
            throw new DataException("ONNX Runtime cannot load the model: " + firstLine(e.getMessage()), e);
        }
    }

    public List<InputInfo> inputs() {
        return inputs;
    }

    public List<String> outputNames() {
        return outputs;
    }

    /** Runs the model; returns every output as a heap-owned tensor, in the model's output order. */
    public Map<String, Tensor> run(Map<String, Tensor> feeds) {
        Map<String, OnnxTensor> ort = toOrt(feeds);
        try (RunLimit.Guard guard = guard()) {
            try (OrtSession.Result r = session.run(ort, guard.options())) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                    out.put(e.getKey(), TensorBridge.fromOrt(e.getKey(), e.getValue()));
                }
                return out;
            } catch (OrtException e) {
                throw guard.failure(e);
            }
        } finally {
            ort.values().forEach(OnnxTensor::close);
        }
    }

    /** Receives one float output of a run without copying it; the buffer is valid only during the call. */
    @FunctionalInterface
    public interface FloatOutputConsumer {
        void accept(String name, long[] dims, java.nio.FloatBuffer values);
    }

    /**
     * Runs the model and hands each float output to {@code consumer} as a view of ONNX Runtime's memory, so
     * large intermediate outputs (calibration) cost no Java heap. Outputs of other types are skipped.
     */
    public void runStreaming(Map<String, Tensor> feeds, FloatOutputConsumer consumer) {
        Map<String, OnnxTensor> ort = toOrt(feeds);
        try (RunLimit.Guard guard = guard()) {
            try (OrtSession.Result r = session.run(ort, guard.options())) {
                for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                    if (e.getValue() instanceof OnnxTensor t && t.getInfo().type == ai.onnxruntime.OnnxJavaType.FLOAT) {
                        java.nio.FloatBuffer fb = TensorBridge.floatView(t);
                        consumer.accept(e.getKey(), t.getInfo().getShape(), fb);
                    }
                }
            } catch (OrtException e) {
                throw guard.failure(e);
            }
        } finally {
            ort.values().forEach(OnnxTensor::close);
        }
    }

    /** Feeds prepared once for repeated timed runs; close after use. */
    public final class PreparedFeeds implements AutoCloseable {
        private final Map<String, OnnxTensor> tensors;

        private PreparedFeeds(Map<String, OnnxTensor> tensors) {
            this.tensors = tensors;
        }

        /** Runs once and returns the wall time in nanoseconds, outputs discarded. */
        public long runTimed() {
            try (RunLimit.Guard guard = guard()) {
                long t0 = System.nanoTime();
                try (OrtSession.Result r = session.run(tensors, guard.options())) {
                    return System.nanoTime() - t0;
                } catch (OrtException e) {
                    throw guard.failure(e);
                }
            }
        }

        @Override
        public void close() {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    public PreparedFeeds prepare(Map<String, Tensor> feeds) {
        return new PreparedFeeds(toOrt(feeds));
    }

    private static RunLimit.Guard guard() {
        try {
            return new RunLimit.Guard();
        } catch (OrtException e) {
            throw new DataException("cannot prepare an ONNX Runtime run: " + firstLine(e.getMessage()), e);
        }
    }

    private Map<String, OnnxTensor> toOrt(Map<String, Tensor> given) {
        Map<String, Tensor> feeds = FeedCheck.roundToHalfInputs(inputs, given);
        FeedCheck.check(inputs, feeds);
        Map<String, OnnxTensor> ort = new LinkedHashMap<>();
        try {
            for (InputInfo in : inputs) {
                ort.put(in.name(), TensorBridge.toOrt(env(), in.name(), feeds.get(in.name())));
            }
            return ort;
        } catch (OrtException e) {
            ort.values().forEach(OnnxTensor::close);
            throw new DataException("cannot pass inputs to ONNX Runtime: " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * ONNX Runtime's message, first line, without its status prefix ("Error code - ORT_FAIL - message: Load model
     * from PATH failed:"), its bracketed categories ("[ShapeInferenceError]") and, for a failed internal check, the
     * source location and C++ signature before what it says.
     */
    static String firstLine(String s) {
        String line = s == null ? "" : s.lines().findFirst().orElse("");
        line = line.replaceFirst("^.*?message: ", "").replaceFirst("^Load model from .*? failed: ?", "")
                .replaceAll("\\[\\w*(Error|Exception)\\] ?", "");
        java.util.regex.Matcher node = RUN_FAILURE.matcher(line);
        line = node.matches() ? node.group(1) + " node '" + node.group(2) + "': " + withoutSource(node.group(3))
                : withoutSource(line);
        return line.replaceFirst("^Exception during initialization: ", "").replaceFirst("^This is an invalid model\\. ", "")
                .replaceFirst("^(\\w+ )?Error: ", "").strip();
    }

    /** "Non-zero status code returned while running Conv node. Name:'x' Status Message: ..." */
    private static final java.util.regex.Pattern RUN_FAILURE = java.util.regex.Pattern.compile(
            "Non-zero status code returned while running (\\S+) node\\. Name:'(.*?)' Status Message: (.*)");
    private static final java.util.regex.Pattern WAS_FALSE = java.util.regex.Pattern.compile("\\bwas false\\.\\s*(.+)$");
    /** A status message that starts with the source location and the C++ function that raised it. */
    private static final java.util.regex.Pattern SOURCE = java.util.regex.Pattern.compile(
            "^\\S+:\\d+\\s+.*?\\)(?:\\s*const)?\\s+(\\S.*)$");

    /**
     * A message without the source location and C++ function that raised it: for a failed check what follows
     * "was false.", else what follows the signature ("PATH:17 static void SafeIntExceptionHandler<...>::
     * SafeIntOnOverflow() Integer overflow" gives "Integer overflow").
     */
    private static String withoutSource(String message) {
        java.util.regex.Matcher check = WAS_FALSE.matcher(message);
        if (message.contains("onnxruntime_src") && check.find()) {
            return check.group(1);
        }
        java.util.regex.Matcher m = SOURCE.matcher(message);
        return m.matches() ? m.group(1) : message;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
