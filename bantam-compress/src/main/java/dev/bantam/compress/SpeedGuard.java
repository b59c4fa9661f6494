package dev.bantam.compress;

/**
 * Whether a technique that compresses for speed keeps only what makes the model faster, measured on real data.
 *
 * @param enabled false: everything the technique may change is changed, faster or not
 * @param batch   items per timed run (the batch the user will run at)
 */
public record SpeedGuard(boolean enabled, int batch) {

    public SpeedGuard {
        if (batch < 1) {
            throw new IllegalArgumentException("speed guard: batch must be >= 1, got " + batch);
        }
    }

    /** On, at batch 32. */
    public static SpeedGuard defaults() {
        return new SpeedGuard(true, 32);
    }

    public SpeedGuard withEnabled(boolean on) {
        return new SpeedGuard(on, batch);
    }

    public SpeedGuard withBatch(int n) {
        return new SpeedGuard(enabled, n);
    }
}
