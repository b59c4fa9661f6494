package dev.bantam.onnx.ir;

/** The kinds of attribute value ONNX defines, with their wire codes. */
public enum AttributeType {
    UNDEFINED(0), FLOAT(1), INT(2), STRING(3), TENSOR(4), GRAPH(5), SPARSE_TENSOR(11), TYPE_PROTO(13),
    FLOATS(6), INTS(7), STRINGS(8), TENSORS(9), GRAPHS(10), SPARSE_TENSORS(12), TYPE_PROTOS(14);

    private final int code;

    AttributeType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static AttributeType fromCode(int code) {
        for (AttributeType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown attribute type code " + code);
    }
}
