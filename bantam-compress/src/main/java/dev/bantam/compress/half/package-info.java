/**
 * FP16 and BF16 conversion with mixed precision: {@link dev.bantam.compress.half.HalfPrecision} stores float32
 * weights in a half type and, when asked, computes in it wherever that is measured safe and ONNX Runtime can load
 * it, with Casts only at the borders of half regions.
 */
package dev.bantam.compress.half;
