package dev.bantam.train.graph;

import dev.bantam.onnx.ir.Node;

/** An operator (or a form of one) the training engine cannot translate; the message names the node. */
public final class UnsupportedOperatorException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public UnsupportedOperatorException(Node node, String what) {
        super("cannot train through " + node.opType() + " node '" + node.displayName() + "': " + what);
    }
}
