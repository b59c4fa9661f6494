package dev.bantam.train.graph;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * What the translation needs from the PyTorch engine beyond DJL's engine-neutral API, kept in one place: erf,
 * clearing gradients in place, threads and seeds, and data-type mapping.
 */
public final class Torch {

    private Torch() {
    }

    /** The engine, started once; fails with a clear message when its native library cannot load. */
    public static Engine engine() {
        NativeSettings.apply();
        try {
            return Engine.getEngine("PyTorch");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("the PyTorch engine did not start: " + e.getMessage(), e);
        }
    }

    static NDArray erf(NDArray x) {
        return JniUtils.erf((PtNDArray) x);
    }

    /** Sets a parameter's accumulated gradient to zero (gradients add up across backward passes otherwise). */
    public static void zeroGrad(NDArray parameter) {
        JniUtils.zeroGrad((PtNDArray) parameter);
    }

    /**
     * Overwrites {@code target}'s values in place (a weight keeps its identity and its gradient flag). Slice
     * assignment, not {@code NDArray.set(float[])}, whose native path prints a libtorch deprecation warning.
     */
    public static void assign(NDArray target, float[] values) {
        try (ai.djl.ndarray.NDManager tmp = ai.djl.ndarray.NDManager.newBaseManager()) {
            NDArray src = tmp.create(values, target.getShape());
            target.set(new ai.djl.ndarray.index.NDIndex(":"), src);
        }
    }

    /** Intra-op threads and the engine's random seed (dropout, engine-side sampling). */
    public static void configure(int threads, long seed) {
        engine();
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
        JniUtils.setSeed(seed);
    }

    /** The engine's data type of an ONNX data type; refuses types training has no use for. */
    public static DataType of(dev.bantam.onnx.ir.DataType t) {
        return switch (t) {
            case FLOAT -> DataType.FLOAT32;
            case DOUBLE -> DataType.FLOAT64;
            case FLOAT16 -> DataType.FLOAT16;
            case BFLOAT16 -> DataType.BFLOAT16;
            case INT64 -> DataType.INT64;
            case INT32 -> DataType.INT32;
            case INT8 -> DataType.INT8;
            case UINT8 -> DataType.UINT8;
            case BOOL -> DataType.BOOLEAN;
            default -> throw new IllegalArgumentException("tensors of type " + t + " are not supported in training");
        };
    }
}
