package dev.bantam.compress.half;

/**
 * Where arithmetic happens after the conversion.
 *
 * <ul>
 *   <li>{@link #FLOAT}: every operator computes in float32 as before; weights are stored in the half type and
 *       widened by Casts that ONNX Runtime folds when it loads the model. The file halves, speed and memory at
 *       run time stay float32's, and the outputs move only by the weights' rounding. What ONNX Runtime's x86 CPU
 *       provider runs best: it has half kernels for data movement and a few operators only (see
 *       {@link OrtCpuKernels}).</li>
 *   <li>{@link #HALF}: mixed precision. Operators whose ONNX schema takes the type compute in it, except those
 *       judged sensitive (measured ranges with calibration data, a conservative list without), those the scope
 *       leaves out, and, for BF16, those ONNX Runtime's CPU provider has no kernel for (it would refuse the model).
 *       For GPU providers and CPUs with half arithmetic; on x86 ONNX Runtime casts around each FP16 operator it
 *       has no kernel for, so such a model runs there, but no faster than float.</li>
 * </ul>
 */
public enum Compute {
    FLOAT, HALF
}
