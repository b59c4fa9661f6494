/**
 * Low-rank factorization: {@link dev.bantam.compress.lowrank.LowRankFactorization} splits MatMul, Gemm and Conv
 * layers into two thinner ones by (data-aware) SVD.
 */
package dev.bantam.compress.lowrank;
