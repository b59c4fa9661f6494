package dev.bantam.runtime.eval;

/** Told how far a long run has come; the CLI draws a progress bar, the library never prints. */
@FunctionalInterface
public interface ProgressListener {

    void progress(String stage, long done, long total);

    ProgressListener NONE = (stage, done, total) -> { };
}
