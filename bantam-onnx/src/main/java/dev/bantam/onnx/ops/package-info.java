/**
 * Knowledge about operators that techniques share: {@link dev.bantam.onnx.ops.WeightLayouts}, the one table
 * of where a layer's weight is and which axis is its output channel.
 */
package dev.bantam.onnx.ops;
