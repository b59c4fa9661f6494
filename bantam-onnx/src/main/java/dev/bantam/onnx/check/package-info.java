/** The model checker: structural errors reported with the graph and node they are in. */
package dev.bantam.onnx.check;
