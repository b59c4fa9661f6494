package dev.bantam.compress.prune;

import dev.bantam.onnx.ir.Node;

/**
 * One parameter slice of a channel space: input {@code input} of {@code node} (a constant weight, bias, scale),
 * along {@code axis}, where channel i of the space occupies positions {@code [offset + i·block, offset + (i+1)·block)}.
 * A Concat before the consumer gives an offset; a Flatten gives a block (channel c is the features
 * {@code [c·HW, (c+1)·HW)}).
 *
 * @param producer whether the slice makes the channel (a layer's output rows, its bias) rather than reads it
 */
public record Slot(Node node, int input, int axis, long offset, long block, boolean producer) {

    /** The constant's name, for reports. */
    public String tensor() {
        return node.input(input).name();
    }
}
