package dev.bantam.train.graph;

import ai.djl.ndarray.types.Shape;

/** Numpy-style broadcast of two shapes. */
final class Broadcast {

    private Broadcast() {
    }

    static Shape shape(Shape a, Shape b) {
        int r = Math.max(a.dimension(), b.dimension());
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long da = i - (r - a.dimension()) >= 0 ? a.get(i - (r - a.dimension())) : 1;
            long db = i - (r - b.dimension()) >= 0 ? b.get(i - (r - b.dimension())) : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + a + " and " + b + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }
}
