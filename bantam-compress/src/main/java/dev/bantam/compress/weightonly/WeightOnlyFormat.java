package dev.bantam.compress.weightonly;

/** How the quantized weights are written. */
public enum WeightOnlyFormat {
    /**
     * ONNX Runtime's com.microsoft MatMulNBits (MatMul, Gemm) and GatherBlockQuantized (embedding tables): the
     * fast kernels on CPU.
     */
    MATMUL_NBITS,
    /** Standard ONNX: a blocked DequantizeLinear (opset 21) in front of MatMul and Gemm; tables stay float. */
    DEQUANTIZE_LINEAR,
    /**
     * Standard ONNX decoded at load: packed codes, scales and zero points turned into the float weight by constant
     * operators that ONNX Runtime folds when it loads the model. The smallest file with float speed and memory.
     */
    DECODE_AT_LOAD;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
