package dev.bantam.compress.stats;

import java.nio.FloatBuffer;

/**
 * Receives the values an activation took on calibration data, batch by batch. The runtime layer runs the
 * model and calls it; a technique only sees statistics, never a runtime.
 */
@FunctionalInterface
public interface ActivationObserver {

    /**
     * @param name   the activation (a value name of the model being calibrated)
     * @param dims   its shape for this batch; axis 0 is the batch (the items)
     * @param values its values, row-major, from the buffer's position to its limit; valid only during the call
     */
    void observe(String name, long[] dims, FloatBuffer values);
}
