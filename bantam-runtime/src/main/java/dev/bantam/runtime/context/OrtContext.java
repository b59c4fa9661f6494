package dev.bantam.runtime.context;

import dev.bantam.compress.CalibrationSettings;
import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Macs;
import dev.bantam.compress.Score;
import dev.bantam.compress.Scorer;
import dev.bantam.compress.stats.ActivationStatistics;
import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.InferenceSession;
import dev.bantam.runtime.InputInfo;
import dev.bantam.runtime.RuntimeOptions;
import dev.bantam.runtime.StateStream;
import dev.bantam.runtime.bench.PieceTiming;
import dev.bantam.runtime.calibrate.ActivationCollector;
import dev.bantam.runtime.data.DataSource;
import dev.bantam.runtime.data.DataSpec;
import dev.bantam.runtime.eval.Energy;
import dev.bantam.runtime.eval.ShapeCapture;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The compression context of ONNX Runtime: calibration statistics and scores computed by running models in
 * ONNX Runtime on data given as data specs (as {@code --data} takes them). A model in memory is written to a
 * temporary folder for each run and never changed. Nothing here prints; progress goes to the listener.
 *
 * <pre>
 *   try (OrtContext context = OrtContext.builder().calibrationData("fmnist:,split=train")
 *           .evaluationData("fmnist:").build()) { ... }
 * </pre>
 */
public final class OrtContext implements CompressionContext, AutoCloseable {

    private final String calibration;
    private final BiFunction<Model, List<InputInfo>, DataSource> calibrationSource;
    private final String evaluation;
    private final BiFunction<Model, List<InputInfo>, DataSource> evaluationSource;
    private final RuntimeOptions runtime;
    private final ProgressListener progress;
    private final int batchSize;
    private final Map<String, String> state;

    private OrtContext(Builder b) {
        this.calibration = b.calibration;
        this.calibrationSource = b.calibrationSource;
        this.evaluation = b.evaluation;
        this.evaluationSource = b.evaluationSource;
        this.runtime = b.runtime;
        this.progress = b.progress;
        this.batchSize = b.batchSize;
        this.state = b.state;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A context that calibrates on {@code calibrationData} and has no evaluation data. */
    public static OrtContext calibratingOn(String calibrationData) {
        return builder().calibrationData(calibrationData).build();
    }

    /** Builds an {@link OrtContext}. */
    public static final class Builder {
        private String calibration;
        private BiFunction<Model, List<InputInfo>, DataSource> calibrationSource;
        private String evaluation;
        private BiFunction<Model, List<InputInfo>, DataSource> evaluationSource;
        private RuntimeOptions runtime = RuntimeOptions.defaults();
        private ProgressListener progress = ProgressListener.NONE;
        private int batchSize = 32;
        private Map<String, String> state = Map.of();

        private Builder() {
        }

        /**
         * A recurrent model's state streamed through calibration and scoring ({@code --state OUT=IN}): output OUT
         * of one item feeds input IN of the next, items one at a time in order (see {@link StateStream}).
         */
        public Builder state(Map<String, String> pairs) {
            this.state = Map.copyOf(new java.util.LinkedHashMap<>(pairs));
            return this;
        }

        /** The data spec calibration runs on (e.g. {@code fmnist:,split=train}); null for none. */
        public Builder calibrationData(String spec) {
            this.calibration = spec;
            this.calibrationSource = null;
            return this;
        }

        /**
         * Calibration data of the caller's own: {@code open} makes the source once the model's inputs are known;
         * {@code description} names it in reports and provenance (a recipe recorded with it cannot be re-run from
         * the description alone).
         */
        public Builder calibrationSource(String description, Function<List<InputInfo>, DataSource> open) {
            return calibrationOpener(description, (model, inputs) -> open.apply(inputs));
        }

        Builder calibrationOpener(String description, BiFunction<Model, List<InputInfo>, DataSource> open) {
            this.calibration = description;
            this.calibrationSource = open;
            return this;
        }

        /** The data spec scores are measured on, kept apart from the calibration data; null for none. */
        public Builder evaluationData(String spec) {
            this.evaluation = spec;
            this.evaluationSource = null;
            return this;
        }

        /** Evaluation data of the caller's own, as {@link #calibrationSource} for calibration data. */
        public Builder evaluationSource(String description, Function<List<InputInfo>, DataSource> open) {
            return evaluationOpener(description, (model, inputs) -> open.apply(inputs));
        }

        Builder evaluationOpener(String description, BiFunction<Model, List<InputInfo>, DataSource> open) {
            this.evaluation = description;
            this.evaluationSource = open;
            return this;
        }

        public Builder runtime(RuntimeOptions options) {
            this.runtime = options;
            return this;
        }

        public Builder progress(ProgressListener listener) {
            this.progress = listener;
            return this;
        }

        /** Items per run when scoring. */
        public Builder scoreBatch(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("score batch must be >= 1, got " + n);
            }
            this.batchSize = n;
            return this;
        }

        public OrtContext build() {
            return new OrtContext(this);
        }
    }

    @Override
    public ActivationStatistics collect(Model model, ActivationStatistics request, CalibrationSettings settings) {
        if (calibration == null) {
            throw new IllegalStateException("this step needs calibration data, and none was given (--data SPEC)");
        }
        if (!request.isEmpty()) {
            request.addItems(ActivationCollector.collect(model, request.names(), s -> openCalibration(model, s.inputs()),
                    settings.samples(), settings.batchSize(), request, progress, state));
        }
        return request;
    }

    private DataSource openCalibration(Model model, List<InputInfo> inputs) {
        return calibrationSource != null ? calibrationSource.apply(model, inputs) : DataSpec.open(calibration, model, inputs);
    }

    private DataSource openEvaluation(Model model, List<InputInfo> inputs) {
        return evaluationSource != null ? evaluationSource.apply(model, inputs) : DataSpec.open(evaluation, model, inputs);
    }

    /** The source for shapes and MACs: the calibration data, else the evaluation data. */
    private DataSource openAny(Model model, List<InputInfo> inputs) {
        return calibration != null ? openCalibration(model, inputs) : openEvaluation(model, inputs);
    }

    @Override
    public OrtContext holdOut(int items) {
        if (evaluation != null || calibration == null) {
            return this;
        }
        HeldOutSplit split = new HeldOutSplit(this::openCalibration, items);
        return builder().calibrationOpener(calibration, split::head)
                .evaluationOpener(calibration + " (its last " + items + " items at most, held out from calibration)",
                        split::tail)
                .runtime(runtime).progress(progress).scoreBatch(batchSize).state(state).build();
    }

    @Override
    public Score score(Model reference, Model candidate, int samples) {
        try (Scorer scorer = open(reference, samples, true)) {
            return scorer.score(candidate);
        }
    }

    /** Reads the evaluation items and runs the reference once; each candidate then costs its own session and run. */
    @Override
    public Scorer scorer(Model reference, int samples) {
        return open(reference, samples, false);
    }

    private Scorer open(Model reference, int samples, boolean candidateProgress) {
        if (evaluation == null) {
            throw new IllegalStateException("scoring needs evaluation data, and none was given (--eval-data SPEC)");
        }
        return new ReferenceScorer(reference, samples, batchSize, runtime, this::openEvaluation, progress,
                candidateProgress, state);
    }

    @Override
    public Optional<Macs> macs(Model model) {
        return macShapes(model).map(s -> Energy.macs(model, s, 1));
    }

    @Override
    public Map<String, Long> macsByNode(Model model) {
        return macShapes(model).map(s -> Energy.macsByOutput(model, s, 1)).orElse(Map.of());
    }

    @Override
    public Optional<Map<String, long[]>> shapes(Model model, int batch, Set<String> names) {
        if (calibration == null && evaluation == null) {
            return Optional.empty();
        }
        return Optional.of(ShapeCapture.shapesOf(model, names, inputs -> {
            DataSource data = openAny(model, inputs);
            return data.batch(0, Math.min(batch, data.size())).feeds();
        }));
    }

    /** The shapes that MAC counts read, on one item of the calibration (else evaluation) data. */
    private Optional<Map<String, long[]>> macShapes(Model model) {
        if (calibration == null && evaluation == null) {
            return Optional.empty();
        }
        Set<String> needed = Energy.valuesForMacs(model);
        return Optional.of(ShapeCapture.shapes(model, needed::contains, inputs -> openAny(model, inputs).batch(0, 1)
                .feeds()));
    }

    @Override
    public Optional<List<Double>> time(List<Model> models) {
        return Optional.of(PieceTiming.time(models, runtime, progress));
    }

    @Override
    public Optional<double[]> timeOnData(List<Model> models, int batch) {
        if (calibration == null && evaluation == null) {
            return Optional.empty();
        }
        BiFunction<Model, List<InputInfo>, DataSource> open = evaluation != null ? this::openEvaluation
                : this::openCalibration;
        return Optional.of(dev.bantam.runtime.bench.DataTiming.time(models, open, batch, runtime, progress));
    }

    @Override
    public boolean loadsModels() {
        return true;
    }

    @Override
    public Optional<String> loadError(Model model) {
        try (TempModel m = TempModel.write(model, "load"); InferenceSession s = InferenceSession.open(m.file(), runtime)) {
            return Optional.empty();
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("the loading copy of a model vanished: " + e.getFile(), e);
        } catch (dev.bantam.runtime.DataException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public Optional<String> calibrationData() {
        return Optional.ofNullable(calibration);
    }

    @Override
    public Optional<String> evaluationData() {
        return Optional.ofNullable(evaluation);
    }

    /** Large tensors go to the process's spill file, out of the heap until the model is saved. */
    @Override
    public dev.bantam.onnx.ir.Tensor keep(dev.bantam.onnx.ir.Tensor tensor) {
        return dev.bantam.onnx.io.SpillFile.shared().spill(tensor);
    }

    @Override
    public ProgressListener progress() {
        return progress;
    }

    @Override
    public OrtContext withCalibrationData(String spec) {
        if (spec.equals(calibration)) {
            return this;
        }
        Builder b = builder().calibrationData(spec).runtime(runtime).progress(progress).scoreBatch(batchSize).state(state);
        return (evaluationSource != null ? b.evaluationOpener(evaluation, evaluationSource) : b.evaluationData(evaluation))
                .build();
    }

    /** Nothing is held between calls; closing is for try-with-resources symmetry with later contexts. */
    @Override
    public void close() {
    }
}
