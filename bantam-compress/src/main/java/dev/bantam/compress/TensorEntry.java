package dev.bantam.compress;

import java.util.List;

/**
 * One tensor a technique changed. Techniques report their own record types with typed fields of their own;
 * these accessors are what every report shows.
 */
public interface TensorEntry {

    /** The tensor (initializer or activation) name. */
    String tensor();

    /** The node it belongs to (its display name). */
    String node();

    String opType();

    /** Its shape; empty for activations, whose shape varies. */
    List<Long> shape();

    /** How much of the tensor the technique kept: signal-to-noise ratio in dB (higher is better). */
    double sqnrDb();
}
