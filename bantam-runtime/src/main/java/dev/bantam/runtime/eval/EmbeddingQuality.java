package dev.bantam.runtime.eval;

/**
 * Sentence-embedding quality. {@code meanCosine}, {@code p1Cosine} and {@code neighbourAgreement} compare
 * with the reference (null for the reference itself); {@code probeAccuracy} is this model's embeddings
 * classified by a probe trained on the reference's (null without labels).
 */
public record EmbeddingQuality(int items, int dimensions, Double meanCosine, Double p1Cosine, Double minCosine,
                               Double neighbourAgreement, Double probeAccuracy) {
}
