/** Graph optimization as a technique: {@link dev.bantam.compress.optimize.OptimizeTechnique}. */
package dev.bantam.compress.optimize;
