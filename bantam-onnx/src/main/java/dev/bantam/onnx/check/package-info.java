/**
 * The model checker: structural errors reported with the graph and node they are in. It is the gate before a
 * model is run or rewritten, and aims to refuse what ONNX Runtime refuses or crashes on: nodes checked against
 * the table of standard operators ({@code onnx-operators.txt}), version imports, scopes, cycles of nodes and of
 * local functions, tensor sizes, sparse indices and constant integer divisions that trap.
 */
package dev.bantam.onnx.check;
