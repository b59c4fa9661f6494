/** Benchmark programs: medians of fresh-JVM runs, printed as JSON and a table. */
package dev.bantam.bench;
