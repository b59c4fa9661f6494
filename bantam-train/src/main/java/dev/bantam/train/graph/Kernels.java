package dev.bantam.train.graph;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The table of translated operators (default domain), built once. */
public final class Kernels {

    private static final Map<String, Kernel> TABLE = build();

    private Kernels() {
    }

    private static Map<String, Kernel> build() {
        Map<String, Kernel> t = new HashMap<>();
        ElementwiseKernels.register(t);
        NnKernels.register(t);
        LayoutKernels.register(t);
        ReduceKernels.register(t);
        return Map.copyOf(t);
    }

    /** The kernel of {@code opType}, or null when it is not translated. */
    public static Kernel of(String opType) {
        return TABLE.get(opType);
    }

    /** Every translated operator, sorted. */
    public static Set<String> supported() {
        return new TreeSet<>(TABLE.keySet());
    }
}
