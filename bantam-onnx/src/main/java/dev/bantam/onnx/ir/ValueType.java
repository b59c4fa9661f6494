package dev.bantam.onnx.ir;

/**
 * The type of a value: a tensor, a sparse tensor, or a container of them. Every variant carries an
 * optional denotation (null when absent). A null {@code shape} means the rank is unknown.
 */
public sealed interface ValueType {

    String denotation();

    record TensorType(DataType elementType, Shape shape, String denotation) implements ValueType {
        @Override
        public String toString() {
            return (elementType == null ? "?" : elementType.name().toLowerCase()) + (shape == null ? "[?]" : shape.toString());
        }
    }

    record SparseTensorType(DataType elementType, Shape shape, String denotation) implements ValueType {
        @Override
        public String toString() {
            return "sparse " + (elementType == null ? "?" : elementType.name().toLowerCase()) + (shape == null ? "[?]" : shape.toString());
        }
    }

    record SequenceType(ValueType elementType, String denotation) implements ValueType {
        @Override
        public String toString() {
            return "seq(" + elementType + ")";
        }
    }

    record MapType(DataType keyType, ValueType valueType, String denotation) implements ValueType {
        @Override
        public String toString() {
            return "map(" + (keyType == null ? "?" : keyType.name().toLowerCase()) + "," + valueType + ")";
        }
    }

    record OptionalType(ValueType elementType, String denotation) implements ValueType {
        @Override
        public String toString() {
            return "optional(" + elementType + ")";
        }
    }

    record OpaqueType(String domain, String name, String denotation) implements ValueType {
        @Override
        public String toString() {
            return "opaque(" + domain + "." + name + ")";
        }
    }

    /** A type whose kind was not set in the file; kept as is so that it round-trips. */
    record UnsetType(String denotation) implements ValueType {
        @Override
        public String toString() {
            return "?";
        }
    }

    static ValueType tensor(DataType elementType, Shape shape) {
        return new TensorType(elementType, shape, null);
    }
}
