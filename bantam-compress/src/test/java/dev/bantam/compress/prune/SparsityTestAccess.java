package dev.bantam.compress.prune;

import dev.bantam.onnx.ir.Node;

/** Test access to a layer's weight as K inputs × N outputs, for tests outside this package. */
public final class SparsityTestAccess {

    private SparsityTestAccess() {
    }

    /** {K, N} of the layer's matrix view. */
    public static int[] matrix(Node n) {
        LayerMatrix l = LayerMatrix.of(n).orElseThrow();
        return new int[] {l.k(), l.n()};
    }

    /** The weight as [K][N], row-major: input i, output j at {@code i·N + j}. */
    public static double[] read(Node n) {
        return LayerMatrix.of(n).orElseThrow().read();
    }
}
