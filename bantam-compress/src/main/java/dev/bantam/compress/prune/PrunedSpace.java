package dev.bantam.compress.prune;

import java.util.List;

/**
 * What pruning did to one channel space.
 *
 * @param label    the space's first producer (and how many more)
 * @param channels channels before
 * @param removed  the channel indices removed (empty when frozen or left whole)
 * @param slices   how many parameter slices the space has
 * @param frozen   why it could not lose channels; empty when it could
 */
public record PrunedSpace(String label, long channels, List<Long> removed, int slices, List<String> frozen) {

    public PrunedSpace {
        removed = List.copyOf(removed);
        frozen = List.copyOf(frozen);
    }
}
