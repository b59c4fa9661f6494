/**
 * Structured pruning: channel spaces (sets of weight slices and activation axes that must lose the same indices,
 * found by propagation through a per-operator table), their physical removal, and the importance criteria that
 * choose what to remove. See {@link dev.bantam.compress.prune.ChannelAnalysis}.
 */
package dev.bantam.compress.prune;
