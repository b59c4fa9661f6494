package dev.bantam.compress;

import dev.bantam.compress.stats.ActivationStatistics;
import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A technique's only window to the world outside the model: data, and a runtime to run models on it.
 * {@code bantam-runtime} implements it with ONNX Runtime ({@code OrtContext}); {@link #withoutData()} serves
 * techniques that need nothing.
 */
public interface CompressionContext {

    /**
     * Runs {@code model} on the calibration data and feeds every activation named in {@code request} to it.
     *
     * @return the filled statistics (the request itself, or an equal merge of partial ones)
     * @throws IllegalStateException when the context has no calibration data
     */
    ActivationStatistics collect(Model model, ActivationStatistics request, CalibrationSettings settings);

    /**
     * Runs both models on the evaluation data (kept apart from the calibration data) and compares the
     * candidate's outputs with the reference's.
     *
     * @param samples items to score on (at most what the data has)
     * @throws IllegalStateException when the context has no evaluation data
     */
    Score score(Model reference, Model candidate, int samples);

    /**
     * A scorer of many candidates against {@code reference} on the same {@code samples} items, each scored as
     * {@link #score} would; this default scores each from scratch, a runtime's context runs the reference once.
     * The reference must not change while the scorer is open.
     */
    default Scorer scorer(Model reference, int samples) {
        return new Scorer() {
            @Override
            public Score score(Model candidate) {
                return CompressionContext.this.score(reference, candidate, samples);
            }

            @Override
            public Score score(Model candidate, int items) {
                return CompressionContext.this.score(reference, candidate, Math.min(items, samples));
            }
        };
    }

    /** Multiply-accumulates per item of {@code model}, when the context can run it on one real item. */
    Optional<Macs> macs(Model model);

    /**
     * Multiply-accumulates per item of every product node (Conv, MatMul, Gemm, their integer forms), by the
     * node's first output name; empty when the context cannot run the model.
     */
    default Map<String, Long> macsByNode(Model model) {
        return Map.of();
    }

    /**
     * The shapes of the float values {@code names} of {@code model} (graph inputs or node outputs) on
     * {@code batch} items of the context's data (calibration data, else evaluation data); empty when the
     * context has no data or cannot run models.
     */
    default Optional<Map<String, long[]>> shapes(Model model, int batch, Set<String> names) {
        return Optional.empty();
    }

    /**
     * The time one run of each model takes (pieces {@link ModelPiece#cut} from larger ones, with fixed input
     * shapes), in milliseconds: the median of interleaved rounds on random inputs. Empty when the context cannot
     * run models.
     */
    default Optional<List<Double>> time(List<Model> models) {
        return Optional.empty();
    }

    /**
     * Milliseconds per batch of {@code batch} items of each model (whole variants of one model), timed side by side
     * on the context's real data (its evaluation data, else its calibration data): medians of interleaved rounds.
     * Empty when the context cannot run models or has no data.
     */
    default Optional<double[]> timeOnData(List<Model> models, int batch) {
        return Optional.empty();
    }

    /**
     * Where a technique puts a large tensor it has made and will not touch again before the model is saved: this
     * default keeps it on the heap; a context for large models moves it out of memory (the CLI's does), so that
     * a model larger than memory can be rewritten layer by layer.
     */
    default Tensor keep(Tensor tensor) {
        return tensor;
    }

    /** Whether this context has a runtime that loads models, so that {@link #loadError} means something. */
    default boolean loadsModels() {
        return false;
    }

    /**
     * Why the context's runtime refuses to load {@code model} (its message), or empty when it loads it; always empty
     * for a context without a runtime ({@link #loadsModels()} false).
     */
    default Optional<String> loadError(Model model) {
        return Optional.empty();
    }

    /**
     * This context with the last {@code items} items of its calibration data (at most a quarter of them) held
     * apart as its evaluation data, which calibration then never sees: how a guard gets a validation split when the
     * user gave only calibration data. A context that already has evaluation data, or no calibration data, is
     * returned as it is.
     */
    default CompressionContext holdOut(int items) {
        return this;
    }

    /** The calibration data, as a data spec, for provenance; empty without data. */
    Optional<String> calibrationData();

    /** The evaluation data, as a data spec; empty without. */
    Optional<String> evaluationData();

    ProgressListener progress();

    /** This context calibrating on other data (a recipe step may name its own). */
    CompressionContext withCalibrationData(String spec);

    /** A context with no data: statistics and scores are refused with a message saying what to give. */
    static CompressionContext withoutData() {
        return NoDataContext.INSTANCE;
    }
}
