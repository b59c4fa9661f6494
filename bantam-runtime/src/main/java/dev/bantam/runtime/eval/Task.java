package dev.bantam.runtime.eval;

/** What the model's output means, and so which metrics apply. */
public enum Task {
    /** logits [items, classes]: top-1/top-5 with labels, agreement and KL against a reference */
    CLASSIFY,
    /** token states [items, tokens, dim]: pooled sentence embeddings, cosine, neighbours, linear probe */
    EMBED,
    /** any outputs: per-output fidelity against a reference */
    RAW
}
