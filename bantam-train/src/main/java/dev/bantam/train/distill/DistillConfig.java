package dev.bantam.train.distill;

import java.nio.file.Path;
import java.util.List;

/**
 * Knowledge distillation: the teachers and their weights, the response term (KL at {@code temperature} for
 * logits, MSE or cosine for embeddings, or none) mixed with the label loss by {@code alpha} (1: no labels, 0:
 * labels alone), feature hints, relation losses and the outputs compared (null: each model's first output).
 * Validated on construction.
 *
 * @param alpha weight of the distillation term; the label term gets 1 - alpha
 */
public record DistillConfig(List<Teacher> teachers, Response response, double temperature, double alpha,
        List<Hint> hints, List<Relation> relations, String studentOutput, String teacherOutput) {

    /** How the student's output is compared with the teachers' (weighted) output. */
    public enum Response {
        /** KL divergence of softened class distributions (logits), Hinton et al. */
        KL,
        /** Mean squared error (regression outputs, embeddings, hidden states). */
        MSE,
        /** One minus the cosine along the last axis (embeddings). */
        COSINE,
        /** No response term: hints and relations only. */
        NONE
    }

    /** A teacher model and the weight of its soft targets in the mixture. */
    public record Teacher(Path model, double weight) {
        public Teacher {
            if (model == null) {
                throw new IllegalArgumentException("a teacher needs a model file");
            }
            if (!(weight > 0)) {
                throw new IllegalArgumentException("a teacher's weight must be > 0, not " + weight);
            }
        }
    }

    /** What a hint compares. */
    public enum HintKind {
        /** MSE between the values, through a learned 1x1 conv or linear adapter where widths differ. */
        FEATURE,
        /** Zagoruyko and Komodakis' attention transfer: normalized channel-mean of squares of [N, C, H, W] maps. */
        ATTENTION_MAP,
        /** MSE between attention probabilities [N, heads, S, S] (averaged over heads when the counts differ). */
        ATTENTION_PROBS
    }

    /** A student value taught by a teacher value (of teacher {@code teacher}, 0-based). */
    public record Hint(String student, String teacher, HintKind kind, double weight, int teacherIndex) {
        public Hint {
            if (student == null || student.isBlank() || teacher == null || teacher.isBlank()) {
                throw new IllegalArgumentException("a hint names a student value and a teacher value");
            }
            if (kind == null || !(weight > 0) || teacherIndex < 0) {
                throw new IllegalArgumentException("a hint needs a kind, a weight > 0 and a teacher index >= 0");
            }
        }
    }

    /** Relation losses between items of a batch. */
    public enum RelationKind {
        /** Park et al.'s relational KD: pairwise distances (normalized by their mean). */
        RKD_DISTANCE,
        /** Park et al.'s relational KD: angles of triplets. */
        RKD_ANGLE,
        /** Tung and Mori's similarity-preserving loss on batch Gram matrices. */
        SIMILARITY
    }

    /** A relation loss on a student value against a teacher value (flattened per item). */
    public record Relation(RelationKind kind, String student, String teacher, double weight, int teacherIndex) {
        public Relation {
            if (kind == null || student == null || teacher == null || !(weight > 0) || teacherIndex < 0) {
                throw new IllegalArgumentException("a relation needs a kind, two value names and a weight > 0");
            }
        }
    }

    public DistillConfig {
        if (response == null) {
            throw new IllegalArgumentException("the response term must be kl, mse, cosine or none");
        }
        if (teachers == null || teachers.isEmpty()) {
            throw new IllegalArgumentException("distillation needs at least one teacher");
        }
        if (!(temperature >= 1 && temperature <= 100)) {
            throw new IllegalArgumentException("temperature must be between 1 and 100, not " + temperature);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], not " + alpha);
        }
        teachers = List.copyOf(teachers);
        hints = hints == null ? List.of() : List.copyOf(hints);
        relations = relations == null ? List.of() : List.copyOf(relations);
        for (Hint h : hints) {
            if (h.teacherIndex() >= teachers.size()) {
                throw new IllegalArgumentException("hint " + h.student() + " names teacher " + h.teacherIndex()
                        + " of " + teachers.size());
            }
        }
        for (Relation r : relations) {
            if (r.teacherIndex() >= teachers.size()) {
                throw new IllegalArgumentException("relation on " + r.student() + " names teacher "
                        + r.teacherIndex() + " of " + teachers.size());
            }
        }
    }

    /** Response distillation from one teacher at temperature 4, alpha 0.9. */
    public static DistillConfig response(Path teacher) {
        return new DistillConfig(List.of(new Teacher(teacher, 1)), Response.KL, 4, 0.9, List.of(), List.of(), null,
                null);
    }

    /** Whether the label term is used. */
    public boolean needsLabels() {
        return alpha < 1;
    }
}
