/** Metrics: accuracy, fidelity to a reference, embedding neighbourhoods, linear probe, latency. */
package dev.bantam.runtime.metrics;
