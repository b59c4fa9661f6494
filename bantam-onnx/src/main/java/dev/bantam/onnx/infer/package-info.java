/** Shape and type inference with symbolic dimensions for the standard operators. */
package dev.bantam.onnx.infer;
