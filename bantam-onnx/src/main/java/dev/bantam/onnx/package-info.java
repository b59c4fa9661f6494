/** Bantam's ONNX foundation: the exceptions every layer shares and the version. */
package dev.bantam.onnx;
