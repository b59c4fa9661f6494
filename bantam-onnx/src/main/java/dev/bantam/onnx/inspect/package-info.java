/** Summaries of a model for people: operators, parameters, quantization, external data. */
package dev.bantam.onnx.inspect;
