package dev.bantam.compress.quantize;

import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Value;
import java.util.HashSet;
import java.util.Set;

/** Fresh value names, and replacing a node's output while keeping graph output names. */
final class Names {

    private Names() {
    }

    static String fresh(Graph g, String base) {
        Set<String> used = new HashSet<>();
        g.inputs().forEach(v -> used.add(v.name()));
        g.initializers().forEach(v -> used.add(v.name()));
        for (Node n : g) {
            n.outputs().stream().filter(v -> v != null).forEach(v -> used.add(v.name()));
        }
        String name = base;
        for (int i = 1; used.contains(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    /** Makes {@code replacement} stand for {@code old}'s output everywhere, then removes {@code old}. */
    static void replace(Graph g, Node old, Value replacement) {
        Value out = old.output(0);
        String name = out.name();
        boolean isOutput = out.isGraphOutput();
        out.replaceAllUsesWith(replacement, true);
        if (isOutput) {
            out.setName(name + "__float");
            replacement.setName(name);
        }
        g.remove(old, true);
    }
}
