package dev.bantam.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Moves tensors between the IR and ONNX Runtime. */
final class TensorBridge {

    private TensorBridge() {
    }

    static DataType typeOf(TensorInfo info) {
        return DataType.valueOf(info.onnxType.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", ""));
    }

    static OnnxTensor toOrt(OrtEnvironment env, String name, Tensor t) throws OrtException {
        OnnxJavaType jt = switch (t.dataType()) {
            case FLOAT -> OnnxJavaType.FLOAT;
            case DOUBLE -> OnnxJavaType.DOUBLE;
            case INT8 -> OnnxJavaType.INT8;
            case INT16 -> OnnxJavaType.INT16;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case UINT8 -> OnnxJavaType.UINT8;
            case BOOL -> OnnxJavaType.BOOL;
            case FLOAT16 -> OnnxJavaType.FLOAT16;
            case BFLOAT16 -> OnnxJavaType.BFLOAT16;
            default -> throw new DataException("input '" + name + "': ONNX Runtime's Java API cannot take "
                    + t.dataType() + " tensors");
        };
        MemorySegment b = t.bytes();
        ByteBuffer buf = ByteBuffer.allocateDirect((int) b.byteSize()).order(ByteOrder.nativeOrder());
        MemorySegment.copy(b, 0, MemorySegment.ofBuffer(buf), 0, b.byteSize());
        return OnnxTensor.createTensor(env, buf, t.dims(), jt);
    }

    /** Copies an output tensor into a heap-owned IR tensor. */
    static Tensor fromOrt(String name, OnnxValue v) throws OrtException {
        if (!(v instanceof OnnxTensor t)) {
            throw new DataException("output '" + name + "' is a " + v.getType() + "; only tensor outputs are supported");
        }
        DataType type = typeOf(t.getInfo());
        if (type == DataType.STRING) {
            throw new DataException("output '" + name + "' holds strings; only numeric outputs are supported");
        }
        ByteBuffer bb = t.getByteBuffer();
        MemorySegment seg = Arena.ofAuto().allocate(bb.remaining(), 8);
        MemorySegment.copy(MemorySegment.ofBuffer(bb), 0, seg, 0, bb.remaining());
        return Tensor.ofBytes(name, type, t.getInfo().getShape(), seg);
    }

    private static final java.lang.invoke.MethodHandle DIRECT_VIEW = directView();

    /**
     * The float values of an output tensor. ONNX Runtime's Java API copies outputs onto the heap; its private
     * {@code getBuffer()} returns the same bytes as a direct view of native memory, which calibration uses
     * to stream large intermediate tensors without heap. Falls back to the public copy if that method is
     * not there.
     */
    static java.nio.FloatBuffer floatView(OnnxTensor t) {
        if (DIRECT_VIEW != null) {
            try {
                ByteBuffer b = (ByteBuffer) DIRECT_VIEW.invoke(t);
                return b.order(ByteOrder.nativeOrder()).asFloatBuffer();
            } catch (Throwable e) {
                // fall through to the copying accessor
            }
        }
        return t.getFloatBuffer();
    }

    private static java.lang.invoke.MethodHandle directView() {
        try {
            java.lang.reflect.Method m = OnnxTensor.class.getDeclaredMethod("getBuffer");
            m.setAccessible(true);
            return java.lang.invoke.MethodHandles.lookup().unreflect(m);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
