/** A plain reference evaluator of standard operators on constants, for constant folding. */
package dev.bantam.onnx.reference;
