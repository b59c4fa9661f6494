/**
 * Statistics of activations over calibration data, as mergeable accumulators: {@link
 * dev.bantam.compress.stats.Histogram}, {@link dev.bantam.compress.stats.ChannelExtremes}, {@link
 * dev.bantam.compress.stats.ChannelMoments} and {@link dev.bantam.compress.stats.GramMatrix}, gathered in an
 * {@link dev.bantam.compress.stats.ActivationStatistics}. Memory never grows with the number of samples, and
 * partial results merge exactly.
 */
package dev.bantam.compress.stats;
