package dev.bantam.compress.lowrank;

import dev.bantam.compress.TensorEntry;
import java.util.List;

/**
 * One factorized layer: how (matrix, channel or spatial SVD), at which rank of how many, the energy its
 * singular values kept, the SQNR of its weight (plain) or of its output on the calibration data (data-aware),
 * and its parameters before and after.
 */
public record FactorizedLayer(String tensor, String node, String opType, List<Long> shape, Form form, int rank,
                              int fullRank, double energyKept, boolean dataAware, double sqnrDb, long parametersBefore,
                              long parametersAfter) implements TensorEntry {

    /** The factorization's form. */
    public enum Form { MATRIX, CHANNEL, SPATIAL, TUCKER }

    public FactorizedLayer {
        shape = List.copyOf(shape);
    }
}
