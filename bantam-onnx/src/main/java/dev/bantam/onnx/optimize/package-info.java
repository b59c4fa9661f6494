/** Graph optimization passes and the basic and extended pipelines behind bantam optimize. */
package dev.bantam.onnx.optimize;
