package dev.bantam.compress.prune;

import dev.bantam.compress.stats.PatchGram;
import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;

/** The input-patch geometry of a 2-D convolution, for the patch Gram matrices pruning reads. */
final class Patches {

    private Patches() {
    }

    /** A 2-D, ungrouped convolution's geometry; null for other ranks, groups or auto_pad. */
    static PatchGram.Geometry geometry(Node n) {
        Tensor w = n.input(1).constantValue().orElseThrow();
        if (w.rank() != 4 || n.intAttribute("group", 1) != 1 || n.attribute("auto_pad").map(a -> !a.value().toString()
                .contains("NOTSET")).orElse(false)) {
            return null;
        }
        long[] s = ints(n, "strides", 1, 1);
        long[] p = ints(n, "pads", 0, 0, 0, 0);
        long[] d = ints(n, "dilations", 1, 1);
        return new PatchGram.Geometry((int) w.dim(2), (int) w.dim(3), (int) s[0], (int) s[1], (int) p[0], (int) p[1],
                (int) p[2], (int) p[3], (int) d[0], (int) d[1]);
    }

    private static long[] ints(Node n, String name, long... dflt) {
        return n.attribute(name).map(a -> ((AttributeValue.IntsValue) a.value()).value()).orElse(dflt);
    }
}
