/** The ONNX graph IR: models, graphs with use-def chains, nodes, values, attributes, types and lazily read tensors. */
package dev.bantam.onnx.ir;
