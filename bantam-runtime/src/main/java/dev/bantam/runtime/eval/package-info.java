/** Evaluation of a model against a reference on data, with cost and energy estimates. */
package dev.bantam.runtime.eval;
