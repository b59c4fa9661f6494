/** Rewrite rules (pattern, check with a reason, rewrite) and the pass that applies them. */
package dev.bantam.onnx.rewrite;
