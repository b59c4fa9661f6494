/** ONNX protobuf serialization, the only package that sees protobuf; zero-copy raw data on read and write. */
package dev.bantam.onnx.ir.serde;
