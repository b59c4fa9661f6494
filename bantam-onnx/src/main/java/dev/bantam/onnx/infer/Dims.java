package dev.bantam.onnx.infer;

import dev.bantam.onnx.ir.Dim;
import dev.bantam.onnx.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/** Arithmetic on possibly symbolic dimensions. */
final class Dims {

    private Dims() {
    }

    static Dim fixed(long v) {
        return Dim.of(v);
    }

    static Long value(Dim d) {
        return d instanceof Dim.Fixed f ? f.value() : null;
    }

    /** Product of dimensions, or unknown when any is not fixed. */
    static Dim product(List<Dim> dims) {
        long p = 1;
        for (Dim d : dims) {
            Long v = value(d);
            if (v == null) {
                return Dim.unknown();
            }
            p *= v;
        }
        return Dim.of(p);
    }

    /** Numpy broadcasting of two shapes; a symbolic dimension meets 1 or itself. */
    static Shape broadcast(Shape a, Shape b) {
        int r = Math.max(a.rank(), b.rank());
        List<Dim> out = new ArrayList<>(r);
        for (int i = 0; i < r; i++) {
            Dim x = i < r - a.rank() ? Dim.of(1) : a.dims().get(i - (r - a.rank()));
            Dim y = i < r - b.rank() ? Dim.of(1) : b.dims().get(i - (r - b.rank()));
            out.add(broadcast(x, y));
        }
        return new Shape(out);
    }

    static Dim broadcast(Dim x, Dim y) {
        Long vx = value(x);
        Long vy = value(y);
        if (vx != null && vx == 1) {
            return strip(y);
        }
        if (vy != null && vy == 1) {
            return strip(x);
        }
        if (vx != null && vy != null) {
            if (!vx.equals(vy)) {
                throw new IllegalArgumentException("dimensions " + vx + " and " + vy + " do not broadcast");
            }
            return x;
        }
        if (vx != null) {
            return strip(x);
        }
        if (vy != null) {
            return strip(y);
        }
        return x instanceof Dim.Symbolic sx && y instanceof Dim.Symbolic sy && sx.name().equals(sy.name())
                ? strip(x) : Dim.unknown();
    }

    /** The dimension without its denotation (inferred dimensions carry none). */
    static Dim strip(Dim d) {
        return switch (d) {
            case Dim.Fixed f -> Dim.of(f.value());
            case Dim.Symbolic s -> Dim.of(s.name());
            case Dim.Unknown u -> Dim.unknown();
        };
    }

    static Shape unknownOfRank(int rank) {
        List<Dim> d = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            d.add(Dim.unknown());
        }
        return new Shape(d);
    }

    static int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("axis " + axis + " out of range for rank " + rank);
        }
        return (int) a;
    }
}
