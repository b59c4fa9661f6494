package dev.bantam.train.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** ONNX tensors as engine arrays, and back. */
public final class Constants {

    private Constants() {
    }

    /** A copy of {@code t} owned by {@code manager}. */
    public static NDArray of(NDManager manager, Tensor t) {
        ai.djl.ndarray.types.DataType type = Torch.of(t.dataType());
        byte[] bytes = t.bytes().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        ByteBuffer buf = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.nativeOrder());
        buf.put(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
        buf.rewind();
        return manager.create(buf, new Shape(t.dims()), type);
    }

    /** Each feed copied as {@link #of}, by input name. */
    public static java.util.Map<String, NDArray> feeds(NDManager manager, java.util.Map<String, Tensor> tensors) {
        java.util.Map<String, NDArray> out = new java.util.LinkedHashMap<>();
        tensors.forEach((name, t) -> out.put(name, of(manager, t)));
        return out;
    }

    /** Class labels as an int64 array owned by {@code manager}. */
    public static NDArray labels(NDManager manager, int[] labels) {
        return manager.create(java.util.Arrays.stream(labels).asLongStream().toArray());
    }

    /**
     * A view of {@code a} owned by {@code step}: arithmetic on it leaves its results (and their gradients' graph)
     * in {@code step}, while in-place changes reach {@code a}.
     */
    public static NDArray view(NDArray a, NDManager step) {
        NDArray v = a.reshape(a.getShape());
        v.attach(step);
        return v;
    }

    /** The value of a Constant node (its {@code value} tensor, or the scalar and list forms). */
    static NDArray attribute(Kernel.Call c) {
        AttributeValue v = c.node().attributes().stream().filter(a -> !a.name().equals("sparse_value"))
                .findFirst().orElseThrow(() -> c.unsupported("a Constant without a value")).value();
        NDManager m = c.manager();
        return switch (v) {
            case AttributeValue.TensorValue t -> of(m, t.value());
            case AttributeValue.FloatValue f -> m.create(f.value());
            case AttributeValue.IntValue i -> m.create(i.value());
            case AttributeValue.FloatsValue f -> m.create(f.value());
            case AttributeValue.IntsValue i -> m.create(i.value());
            default -> throw c.unsupported("a Constant of attribute type " + v.type());
        };
    }
}
