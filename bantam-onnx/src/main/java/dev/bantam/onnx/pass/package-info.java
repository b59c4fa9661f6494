/** Passes and the pass manager: a pass says whether it changed the model and what it did; the manager names a failing pass. */
package dev.bantam.onnx.pass;
