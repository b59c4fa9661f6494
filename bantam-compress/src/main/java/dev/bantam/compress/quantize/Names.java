package dev.bantam.compress.quantize;

import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Value;

/** Fresh value names (via the graph), and replacing a node's output while keeping graph output names. */
final class Names {

    private Names() {
    }

    static String fresh(Graph g, String base) {
        return g.uniqueName(base);
    }

    /** Makes {@code replacement} stand for {@code old}'s output everywhere, then removes {@code old}. */
    static void replace(Graph g, Node old, Value replacement) {
        old.output(0).replaceKeepingOutputName(replacement, "_float");
        g.remove(old, true);
    }
}
