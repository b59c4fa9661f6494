/**
 * The compression context implemented with ONNX Runtime ({@link dev.bantam.runtime.context.OrtContext}):
 * calibration statistics, scores of candidate models, and MAC counts, from data specs.
 */
package dev.bantam.runtime.context;
