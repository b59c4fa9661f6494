package dev.bantam.compress.half;

/**
 * Where one operator computes after the conversion, and why, with what was measured.
 *
 * @param node         its display name
 * @param opType       its operator
 * @param half         whether it computes in the half type
 * @param reason       why (for an operator left in float32: what kept it there)
 * @param maxAbs       the largest magnitude among its float inputs and outputs on calibration data (null without)
 * @param belowNormal  the largest fraction, among its float inputs and outputs, of non-zero values below the half
 *                     type's normal range on calibration data (null without)
 * @param ortCpu       for an operator computing in the half type: how ONNX Runtime's CPU provider runs it (null
 *                     for float32 operators)
 */
public record HalfNode(String node, String opType, boolean half, String reason, Float maxAbs, Double belowNormal,
                       OrtCpuKernels.Support ortCpu) {
}
