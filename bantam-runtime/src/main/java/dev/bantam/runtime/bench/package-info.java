/** Side-by-side latency benchmarks with interleaved rounds. */
package dev.bantam.runtime.bench;
