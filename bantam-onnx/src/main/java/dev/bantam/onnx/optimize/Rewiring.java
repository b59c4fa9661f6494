package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import java.util.Optional;

/** Edits that several passes share: bypassing a value while keeping graph output names, fresh names. */
final class Rewiring {

    private Rewiring() {
    }

    /**
     * Makes every user of {@code old} read {@code replacement}. A graph output keeps its name: the
     * replacement takes it over when it is a node output of the same graph that is not itself an input or
     * output; otherwise nothing changes and false is returned.
     */
    static boolean bypass(Value old, Value replacement) {
        if (!old.isGraphOutput()) {
            old.replaceAllUsesWith(replacement, false);
            return true;
        }
        if (replacement.producer() == null || replacement.graph() != old.graph() || replacement.isGraphOutput()
                || replacement.isGraphInput()) {
            return false;
        }
        old.replaceKeepingOutputName(replacement, "__bypassed");
        if (replacement.type() == null) {
            replacement.setType(old.type());
        }
        return true;
    }

    /** The constant a value holds (initializer or Constant node), if any. */
    static Optional<Tensor> constant(Value v) {
        return v == null ? Optional.empty() : v.constantValue();
    }

    /** A name not used by any value of the graph or its enclosing graphs. */
    static String freshName(Graph g, String base) {
        return g.uniqueName(base);
    }

    /** The only node reading {@code v}, when v has exactly one use and is not a graph output. */
    static Node soleUser(Value v) {
        if (v == null || v.uses().size() != 1 || v.isGraphOutput()) {
            return null;
        }
        return v.uses().getFirst().node();
    }
}
