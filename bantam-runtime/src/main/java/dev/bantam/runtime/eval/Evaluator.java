package dev.bantam.runtime.eval;

import dev.bantam.onnx.BantamVersion;
import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.inspect.ModelSummaries;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.DataException;
import dev.bantam.runtime.InferenceSession;
import dev.bantam.runtime.ProcessMemory;
import dev.bantam.runtime.data.Batch;
import dev.bantam.runtime.data.DataSource;
import dev.bantam.runtime.data.DataSpec;
import dev.bantam.runtime.metrics.Accuracy;
import dev.bantam.runtime.metrics.Fidelity;
import dev.bantam.runtime.metrics.LatencyStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a model (and optionally a reference) over a data source and measures task quality, fidelity to the
 * reference, size, latency and an energy estimate. Both models see the same batches in the same order.
 */
public final class Evaluator {

    /** Latency comes from at least this many timed batches, or {@link #MIN_TIMED_NANOS} of them. */
    static final int MIN_TIMED_BATCHES = 10;
    static final long MIN_TIMED_NANOS = 2_000_000_000L;

    private Evaluator() {
    }

    /** One model under evaluation: its session, IR and the metrics being accumulated. */
    private static final class Subject implements AutoCloseable {
        final String name;
        final Path path;
        final Model model;
        final InferenceSession session;
        final Accuracy accuracy = new Accuracy();
        final Map<String, Fidelity> fidelity = new LinkedHashMap<>();
        final dev.bantam.runtime.metrics.Embeddings embeddings = new dev.bantam.runtime.metrics.Embeddings();
        final List<Long> nanos = new ArrayList<>();
        /** The state outputs of the last item, fed to the next (see {@link EvalConfig#state}). */
        final dev.bantam.runtime.StateStream state;
        long memoryBytes = -1;
        private boolean closed;

        Subject(String name, Path path, EvalConfig c) throws IOException {
            this.name = name;
            this.path = path;
            this.model = ModelIO.load(path);
            this.state = new dev.bantam.runtime.StateStream(c.state());
            ModelChecker.check(model).requireValid();
            try (dev.bantam.runtime.context.TempModel lean = dev.bantam.runtime.context.TempModel.forSession(model, "eval")) {
                // a pool of its own: its memory (thread-local buffers) is then charged to it alone
                this.session = InferenceSession.open(lean == null ? path : lean.file(), c.runtime().withOwnPool());
            }
        }

        /** Runs one batch, timed. */
        Map<String, Tensor> run(Map<String, Tensor> feeds) {
            long t0 = System.nanoTime();
            Map<String, Tensor> out = session.run(feeds);
            nanos.add(System.nanoTime() - t0);
            return out;
        }

        /**
         * Closes the session, measuring its memory as what closing it gives back to the C heap (glibc's counters of
         * bytes in use, before minus after; where they are unavailable, the anonymous resident size, free heap
         * returned to the system before each reading). Measured at the end, with the run's allocations in place;
         * neither the other session, nor ONNX Runtime's one-time work and code pages, nor the Java heap are charged
         * to it. -1 where the platform cannot tell.
         */
        void closeAndMeasure() {
            boolean exact = ProcessMemory.mallocBytes() >= 0;
            ProcessMemory.settle(); // earlier work's garbage freed now, not inside the window
            ProcessMemory.releaseFreeMemory();
            long open = exact ? ProcessMemory.mallocBytes() : ProcessMemory.anonymousBytes();
            close();
            ProcessMemory.releaseFreeMemory();
            long after = exact ? ProcessMemory.mallocBytes() : ProcessMemory.anonymousBytes();
            memoryBytes = open < 0 || after < 0 ? -1 : Math.max(0, open - after);
        }

        /** Whether the timed batches (all but the first, a warm-up) are enough for a latency figure. */
        boolean timedEnough() {
            List<Long> timed = nanos.subList(Math.min(1, nanos.size()), nanos.size());
            return timed.size() >= MIN_TIMED_BATCHES || timed.stream().mapToLong(Long::longValue).sum() >= MIN_TIMED_NANOS;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                session.close();
            }
        }
    }

    public static EvalResult run(EvalConfig config, ProgressListener progress) throws IOException {
        try (Subject model = new Subject(name(config.model()), config.model(), config);
             Subject ref = config.reference() == null ? null : new Subject(name(config.reference()), config.reference(), config)) {
            EvalConfig c = config.batchSize() > 0 ? config : config.withBatch(batchFor(model.session.inputs()));
            if (ref != null && !ref.session.inputs().stream().map(i -> i.name()).toList()
                    .equals(model.session.inputs().stream().map(i -> i.name()).toList())) {
                throw new DataException("the reference's inputs " + ref.session.inputs().stream().map(i -> i.name()).toList()
                        + " differ from the model's " + model.session.inputs().stream().map(i -> i.name()).toList());
            }
            DataSource data = DataSpec.open(c.data(), model.model, model.session.inputs());
            checkState(c, model);
            if (c.task() == Task.CLASSIFY && !data.hasLabels() && ref == null) {
                throw new DataException("classification needs labeled data or a --reference to compare with");
            }
            List<Subject> subjects = ref == null ? List.of(model) : List.of(ref, model);
            Map<String, Tensor> firstFeeds = null;
            int[] labels = data.hasLabels() ? new int[data.size()] : null;
            for (int start = 0; start < data.size(); start += c.batchSize()) {
                Batch b = data.batch(start, Math.min(c.batchSize(), data.size() - start));
                if (firstFeeds == null) {
                    firstFeeds = data.batch(0, 1).feeds();
                }
                Map<String, Tensor> refOut = ref == null ? null : ref.run(ref.state.feeds(b.feeds()));
                Map<String, Tensor> out = model.run(model.state.feeds(b.feeds()));
                if (ref != null) {
                    ref.state.carry(refOut);
                }
                model.state.carry(out);
                if (ref != null) {
                    accumulate(ref, refOut, null, b, c);
                }
                accumulate(model, out, refOut, b, c);
                if (labels != null) {
                    System.arraycopy(b.labels(), 0, labels, start, b.count());
                }
                progress.progress("evaluating", start + b.count(), data.size());
            }
            timeMore(data, c, subjects, progress);
            subjects.forEach(Subject::closeAndMeasure);
            return result(c, data, labels, subjects, ref, model, firstFeeds, progress);
        }
    }

    /**
     * Runs the data's batches again, cycling, both models in turn, until each has {@link #MIN_TIMED_BATCHES} timed
     * batches or {@link #MIN_TIMED_NANOS} of timing: one timed batch gave p50 = p90 = p99. Metrics are not touched.
     */
    private static void timeMore(DataSource data, EvalConfig c, List<Subject> subjects, ProgressListener progress) {
        int batches = (data.size() + c.batchSize() - 1) / c.batchSize();
        for (int i = 0; batches > 0 && !subjects.stream().allMatch(Subject::timedEnough); i = (i + 1) % batches) {
            int start = i * c.batchSize();
            Batch b = data.batch(start, Math.min(c.batchSize(), data.size() - start));
            for (Subject s : subjects) {
                s.state.carry(s.run(s.state.feeds(b.feeds())));
            }
            progress.progress("timing", subjects.getFirst().nanos.size() - 1, MIN_TIMED_BATCHES);
        }
    }

    /** The model's fixed batch when it has one (a model exported for batch 1 takes only 1), else the default. */
    private static int batchFor(List<dev.bantam.runtime.InputInfo> inputs) {
        return dev.bantam.runtime.FixedBatch.cap(inputs, EvalConfig.DEFAULT_BATCH);
    }

    /** The state pairs name an output and an input of the model. */
    private static void checkState(EvalConfig c, Subject s) {
        dev.bantam.runtime.StateStream.check(c.state(), s.session);
    }

    private static void accumulate(Subject s, Map<String, Tensor> out, Map<String, Tensor> refOut, Batch b, EvalConfig c) {
        Task task = c.task();
        Tensor first = out.values().iterator().next();
        switch (task) {
            case CLASSIFY -> {
                if (b.labels() != null) {
                    s.accuracy.add(first, b.labels());
                }
            }
            case EMBED -> s.embeddings.add(out.getOrDefault("last_hidden_state", first), b.feeds().get("attention_mask"));
            case RAW, SEQUENCE, MAP -> { }
        }
        if (refOut != null && task != Task.EMBED) {
            for (Map.Entry<String, Tensor> e : out.entrySet()) {
                Tensor r = refOut.get(e.getKey());
                if (r == null) {
                    throw new DataException("output '" + e.getKey() + "' of the model is not an output of the reference");
                }
                s.fidelity.computeIfAbsent(e.getKey(), k -> new Fidelity(k, task == Task.MAP ? c.mapThreshold() : null))
                        .add(r, e.getValue());
            }
        }
    }

    private static EvalResult result(EvalConfig c, DataSource data, int[] labels, List<Subject> subjects, Subject ref,
                                     Subject model, Map<String, Tensor> oneItem, ProgressListener progress)
            throws IOException {
        EmbeddingReport emb = c.task() == Task.EMBED
                ? EmbeddingReport.of(ref == null ? null : ref.embeddings.matrix(), model.embeddings.matrix(),
                labels, data.labelNames().size(), c.probeTrain(), progress) : null;
        List<ModelReport> reports = new ArrayList<>();
        for (Subject s : subjects) {
            long fileBytes = fileBytes(s.path, s.model);
            var summary = ModelSummaries.of(s.model, Files.size(s.path), ModelChecker.check(s.model));
            List<Long> timed = s.nanos.size() > 1 ? s.nanos.subList(1, s.nanos.size()) : s.nanos;
            Energy.Estimate energy = Energy.estimate(s.model, ShapeCapture.shapes(s.model, inputs -> oneItem), 1,
                    summary.parameterBytes(), c.batchSize());
            reports.add(new ModelReport(s.name, s.path.toString(), fileBytes, summary.parameterBytes(),
                    s.accuracy.result().items() > 0 ? s.accuracy.result(data.labelNames()) : null,
                    s.fidelity.values().stream().map(Fidelity::result).toList(),
                    emb == null ? null : (s == ref ? emb.reference() : emb.candidate()),
                    LatencyStats.of(timed, c.batchSize()), s.memoryBytes, energy));
        }
        double[] cos = emb != null ? emb.itemCosines()
                : model.fidelity.isEmpty() ? new double[0] : model.fidelity.values().iterator().next().cosines();
        return new EvalResult(c.task().name().toLowerCase(), data.describe(), data.size(), c.batchSize(),
                BantamVersion.get(), reports, cos, "cosine similarity to the reference, per item");
    }

    /** The model file plus the external data files its (already loaded) tensors read. */
    static long fileBytes(Path model, Model m) throws IOException {
        long n = Files.size(model);
        java.util.Set<Path> files = new java.util.HashSet<>();
        for (Tensor t : m.tensorsRecursive()) {
            if (t.data() instanceof dev.bantam.onnx.ir.TensorData.External e) {
                files.add(e.location().source().path());
            }
        }
        for (Path f : files) {
            n += Files.size(f);
        }
        return n;
    }

    private static String name(Path p) {
        return p.getFileName().toString().replaceAll("\\.onnx$", "");
    }
}
