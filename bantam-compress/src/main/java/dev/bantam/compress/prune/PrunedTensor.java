package dev.bantam.compress.prune;

import dev.bantam.compress.TensorEntry;
import java.util.Arrays;
import java.util.List;

/**
 * A constant the pruning cut.
 *
 * @param after         its shape after
 * @param removedEnergy the fraction of its squared values removed with the channels
 */
public record PrunedTensor(String tensor, String node, String opType, List<Long> shape, List<Long> after,
                           double removedEnergy) implements TensorEntry {

    static PrunedTensor of(ChannelRemoval.CutTensor t) {
        return new PrunedTensor(t.tensor(), t.node(), t.opType(), Arrays.stream(t.before()).boxed().toList(),
                Arrays.stream(t.after()).boxed().toList(), t.removedEnergy());
    }

    /** The energy kept against the energy removed, in dB: as quantization's SQNR, higher keeps more. */
    @Override
    public double sqnrDb() {
        return removedEnergy <= 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10((1 - removedEnergy) / removedEnergy);
    }
}
