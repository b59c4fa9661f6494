package dev.bantam.compress.lowrank;

import dev.bantam.compress.TensorEntry;
import java.util.List;

/**
 * One factorized layer: how (matrix, channel or spatial SVD, Tucker-2), at which rank of how many, the energy
 * kept, the SQNR of its weight (plain) or of its output on the calibration data (data-aware), its parameters
 * and its multiply-accumulates per item before and after (-1 when the context could not count them: that
 * takes one run on real data).
 */
public record FactorizedLayer(String tensor, String node, String opType, List<Long> shape, Form form, int rank,
                              int fullRank, double energyKept, boolean dataAware, double sqnrDb, long parametersBefore,
                              long parametersAfter, long macsBefore, long macsAfter) implements TensorEntry {

    /** The factorization's form. */
    public enum Form { MATRIX, CHANNEL, SPATIAL, TUCKER }

    public FactorizedLayer {
        shape = List.copyOf(shape);
    }
}
