package dev.bantam.compress.prune;

import java.util.List;

/**
 * A set of channels that must be removed together: every parameter slice that makes or reads them, across the
 * layers a residual Add, a Concat or a Flatten couples. Frozen when something that reads them cannot follow a
 * removal (a graph output, an operator outside the table, a reduction over the channel axis), with the reasons.
 *
 * @param id        stable within one analysis, in graph order of the first layer making the channels
 * @param size      how many channels
 * @param producers the layers whose outputs the channels are (display names)
 * @param slots     every parameter slice, producers' and readers'
 * @param frozen    why the channels cannot be removed; empty when they can
 */
public record ChannelSpace(int id, long size, List<String> producers, List<Slot> slots, List<String> frozen) {

    public ChannelSpace {
        producers = List.copyOf(producers);
        slots = List.copyOf(slots);
        frozen = List.copyOf(frozen);
    }

    public boolean prunable() {
        return frozen.isEmpty();
    }

    /** A short name: the first producer, and how many more. */
    public String label() {
        return producers.isEmpty() ? "space " + id
                : producers.getFirst() + (producers.size() > 1 ? " (+" + (producers.size() - 1) + ")" : "");
    }
}
