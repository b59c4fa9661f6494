package dev.bantam.onnx.ir;

import java.util.List;

/** A tensor shape of known rank; an unknown rank is a null {@code Shape} in a {@link ValueType}. */
public record Shape(List<Dim> dims) {

    public Shape {
        dims = List.copyOf(dims);
    }

    public static Shape of(long... sizes) {
        Dim[] d = new Dim[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            d[i] = Dim.of(sizes[i]);
        }
        return new Shape(List.of(d));
    }

    public int rank() {
        return dims.size();
    }

    /** True when every dimension is a fixed number. */
    public boolean isStatic() {
        return dims.stream().allMatch(d -> d instanceof Dim.Fixed);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(dims.get(i));
        }
        return sb.append(']').toString();
    }
}
