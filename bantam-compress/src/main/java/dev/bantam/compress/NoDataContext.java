package dev.bantam.compress;

import dev.bantam.compress.stats.ActivationStatistics;
import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.ir.Model;
import java.util.Optional;

/** The context of data-free techniques: it refuses what needs data, saying so. */
enum NoDataContext implements CompressionContext {
    INSTANCE;

    @Override
    public ActivationStatistics collect(Model model, ActivationStatistics request, CalibrationSettings settings) {
        throw new IllegalStateException("this step needs calibration data, and none was given (--data SPEC)");
    }

    @Override
    public Score score(Model reference, Model candidate, int samples) {
        throw new IllegalStateException("scoring needs evaluation data, and none was given (--eval-data SPEC)");
    }

    @Override
    public Optional<Macs> macs(Model model) {
        return Optional.empty();
    }

    @Override
    public Optional<String> calibrationData() {
        return Optional.empty();
    }

    @Override
    public Optional<String> evaluationData() {
        return Optional.empty();
    }

    @Override
    public CompressionContext withCalibrationData(String spec) {
        throw new IllegalStateException("a step names data (" + spec + "), but nothing here can run a model on it");
    }

    @Override
    public ProgressListener progress() {
        return ProgressListener.NONE;
    }
}
