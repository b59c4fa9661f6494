package dev.bantam.onnx.ir;

/** One dimension of a shape: a fixed size, a symbolic name such as "batch", or unknown. */
public sealed interface Dim permits Dim.Fixed, Dim.Symbolic, Dim.Unknown {

    /** Optional semantic denotation (e.g. "DATA_BATCH"); null when absent. */
    String denotation();

    record Fixed(long value, String denotation) implements Dim {
        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    record Symbolic(String name, String denotation) implements Dim {
        @Override
        public String toString() {
            return name;
        }
    }

    record Unknown(String denotation) implements Dim {
        @Override
        public String toString() {
            return "?";
        }
    }

    static Dim of(long value) {
        return new Fixed(value, null);
    }

    static Dim of(String symbol) {
        return new Symbolic(symbol, null);
    }

    static Dim unknown() {
        return new Unknown(null);
    }
}
