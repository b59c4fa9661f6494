package dev.bantam.compress.lowrank;

import dev.bantam.compress.TensorEntry;
import java.util.List;

/**
 * One factorized layer: how (matrix, channel or spatial SVD, Tucker-2), at which rank of how many, the energy
 * kept, the SQNR of its weight (plain) or of its output on the calibration data (data-aware), its parameters
 * and its multiply-accumulates per item before and after (-1 when the context could not count them: that
 * takes one run on real data), and the milliseconds ONNX Runtime takes for the layer alone on a batch before and
 * after (null when not timed).
 */
public record FactorizedLayer(String tensor, String node, String opType, List<Long> shape, Form form, int rank,
                              int fullRank, double energyKept, boolean dataAware, double sqnrDb, long parametersBefore,
                              long parametersAfter, long macsBefore, long macsAfter, Double msBefore,
                              Double msAfter) implements TensorEntry {

    /** The factorization's form. */
    public enum Form { MATRIX, CHANNEL, SPATIAL, TUCKER }

    public FactorizedLayer {
        shape = List.copyOf(shape);
    }

    /** This layer with its cost after factorization and its times (null when not timed). */
    FactorizedLayer withCosts(long macsAfterNow, Double before, Double after) {
        return new FactorizedLayer(tensor, node, opType, shape, form, rank, fullRank, energyKept, dataAware, sqnrDb,
                parametersBefore, parametersAfter, macsBefore, macsAfterNow, before, after);
    }
}
