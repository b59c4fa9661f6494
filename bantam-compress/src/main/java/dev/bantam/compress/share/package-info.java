/**
 * Weight sharing and logarithmic (power-of-two) quantization: {@link dev.bantam.compress.share.WeightSharing}
 * stores weights as codebooks plus packed indices, decoded by constant nodes at load.
 */
package dev.bantam.compress.share;
