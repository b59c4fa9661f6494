package dev.bantam.onnx;

/** Told how far a long run has come (calibration, evaluation, benchmarks); the CLI draws a progress bar, the library never prints. */
@FunctionalInterface
public interface ProgressListener {

    void progress(String stage, long done, long total);

    ProgressListener NONE = (stage, done, total) -> { };
}
