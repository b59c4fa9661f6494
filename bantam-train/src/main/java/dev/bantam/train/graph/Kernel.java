package dev.bantam.train.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bantam.onnx.ir.Node;
import java.util.List;

/** One ONNX operator as differentiable tensor operations: the inputs (null for absent optional ones) to the outputs. */
@FunctionalInterface
public interface Kernel {

    List<NDArray> apply(Call call);

    /**
     * What a kernel is called with: the node (its attributes), its inputs, the model's default-domain operator
     * set, whether the graph runs in training mode, and the manager that owns this step's arrays.
     */
    record Call(Node node, List<NDArray> inputs, long opset, boolean training, NDManager manager) {

        public NDArray in(int i) {
            return i < inputs.size() ? inputs.get(i) : null;
        }

        public NDArray x() {
            return inputs.get(0);
        }

        public long intAttr(String name, long dflt) {
            return node.intAttribute(name, dflt);
        }

        public float floatAttr(String name, float dflt) {
            return node.floatAttribute(name, dflt);
        }

        public long[] intsAttr(String name) {
            return Attrs.ints(node, name);
        }

        public String stringAttr(String name, String dflt) {
            return Attrs.string(node, name, dflt);
        }

        /** An unsupported form of a supported operator: the message names the node and what is not supported. */
        public UnsupportedOperatorException unsupported(String what) {
            return new UnsupportedOperatorException(node, what);
        }
    }
}
