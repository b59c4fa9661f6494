package dev.bantam.runtime.eval;

/** What the model's output means, and so which metrics apply. */
public enum Task {
    /** logits [items, classes]: top-1/top-5 with labels, agreement and KL against a reference */
    CLASSIFY,
    /** token states [items, tokens, dim]: pooled sentence embeddings, cosine, neighbours, linear probe */
    EMBED,
    /** any outputs: per-output fidelity against a reference (sequence agreement for rank-3 outputs) */
    RAW,
    /**
     * scores [items, positions, classes] (a CTC recognizer): per-position argmax agreement and identical greedy
     * decodings against a reference, beside the fidelity of {@link #RAW}
     */
    SEQUENCE,
    /** dense score maps (a text detector, a segmentation): thresholded agreement and IoU against a reference */
    MAP;

    /** {@code classify}, {@code embed}, {@code raw}, {@code sequence} or {@code map}. */
    public static Task parse(String s) {
        return switch (s) {
            case "classify" -> CLASSIFY;
            case "embed" -> EMBED;
            case "raw" -> RAW;
            case "sequence" -> SEQUENCE;
            case "map" -> MAP;
            default -> throw new IllegalArgumentException("--task must be classify, embed, raw, sequence or map, not '"
                    + s + "'");
        };
    }
}
