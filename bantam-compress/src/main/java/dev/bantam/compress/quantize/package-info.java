/** Quantization: weights to low-precision integers, activations at run time (dynamic) or calibrated (static). */
package dev.bantam.compress.quantize;
