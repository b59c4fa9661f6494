package dev.bantam.runtime.eval;

/** What the model's output means, and so which metrics apply. */
public enum Task {
    /** logits [items, classes]: top-1/top-5 with labels, agreement and KL against a reference */
    CLASSIFY,
    /** token states [items, tokens, dim]: pooled sentence embeddings, cosine, neighbours, linear probe */
    EMBED,
    /** any outputs: per-output fidelity against a reference */
    RAW;

    /** {@code classify}, {@code embed} or {@code raw}. */
    public static Task parse(String s) {
        return switch (s) {
            case "classify" -> CLASSIFY;
            case "embed" -> EMBED;
            case "raw" -> RAW;
            default -> throw new IllegalArgumentException("--task must be classify, embed or raw, not '" + s + "'");
        };
    }
}
