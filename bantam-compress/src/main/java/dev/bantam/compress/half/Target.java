package dev.bantam.compress.half;

/**
 * Which runtime's kernels decide where half arithmetic may go (with {@link Compute#HALF}).
 *
 * <ul>
 *   <li>{@link #ORT_CPU}: only operators ONNX Runtime's CPU provider has a half kernel of its own for
 *       ({@link OrtCpuKernels}); the rest compute in float32 with their weights still stored in the half type.
 *       The model always loads there and nothing runs slower for the conversion.</li>
 *   <li>{@link #ANY}: every operator whose ONNX schema takes the type, for runtimes with half kernels (GPU
 *       providers, CPUs with half arithmetic). ONNX Runtime's CPU provider loads such an FP16 model by casting
 *       around the operators it lacks, unless one of its fusions then fails; the conversion loads the result in
 *       the context's runtime and refuses what it cannot load.</li>
 * </ul>
 */
public enum Target {
    ORT_CPU, ANY
}
