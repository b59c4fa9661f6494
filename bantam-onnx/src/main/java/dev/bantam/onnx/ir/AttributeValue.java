package dev.bantam.onnx.ir;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The value of an attribute, one variant per ONNX attribute kind. */
public sealed interface AttributeValue {

    AttributeType type();

    record FloatValue(float value) implements AttributeValue {
        public AttributeType type() {
            return AttributeType.FLOAT;
        }
    }

    record IntValue(long value) implements AttributeValue {
        public AttributeType type() {
            return AttributeType.INT;
        }
    }

    /** Bytes, usually UTF-8 text. */
    record StringValue(byte[] value) implements AttributeValue {
        public AttributeType type() {
            return AttributeType.STRING;
        }

        public String text() {
            return new String(value, StandardCharsets.UTF_8);
        }
    }

    record TensorValue(Tensor value) implements AttributeValue {
        public AttributeType type() {
            return AttributeType.TENSOR;
        }
    }

    record GraphValue(Graph value) implements AttributeValue {
        public AttributeType type() {
            return AttributeType.GRAPH;
        }
    }

    record SparseTensorValue(SparseTensor value) implements AttributeValue {
        public AttributeType type() {
            return AttributeType.SPARSE_TENSOR;
        }
    }

    record TypeValue(ValueType value) implements AttributeValue {
        public AttributeType type() {
            return AttributeType.TYPE_PROTO;
        }
    }

    record FloatsValue(float[] value) implements AttributeValue {
        public AttributeType type() {
            return AttributeType.FLOATS;
        }
    }

    record IntsValue(long[] value) implements AttributeValue {
        public AttributeType type() {
            return AttributeType.INTS;
        }
    }

    record StringsValue(List<byte[]> value) implements AttributeValue {
        public AttributeType type() {
            return AttributeType.STRINGS;
        }
    }

    record TensorsValue(List<Tensor> value) implements AttributeValue {
        public AttributeType type() {
            return AttributeType.TENSORS;
        }
    }

    record GraphsValue(List<Graph> value) implements AttributeValue {
        public AttributeType type() {
            return AttributeType.GRAPHS;
        }
    }

    record SparseTensorsValue(List<SparseTensor> value) implements AttributeValue {
        public AttributeType type() {
            return AttributeType.SPARSE_TENSORS;
        }
    }

    record TypesValue(List<ValueType> value) implements AttributeValue {
        public AttributeType type() {
            return AttributeType.TYPE_PROTOS;
        }
    }

    /** Inside a function body: refers to the calling node's attribute {@code refName}. */
    record Reference(String refName, AttributeType type) implements AttributeValue {
    }
}
