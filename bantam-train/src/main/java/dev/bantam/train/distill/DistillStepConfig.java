package dev.bantam.train.distill;

import dev.bantam.compress.TechniqueConfig;
import dev.bantam.train.loop.TrainConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code distill} recipe step: the teachers (model files and weights), the loss (temperature, alpha, hints,
 * relations, compared outputs), whether the student starts from fresh weights, the teacher cache's budget and the
 * training settings, and a checkpoint file written after every epoch (and resumed from, with {@code resume}).
 * The step trains the model it is given (the student) on the step's data. Teachers may be
 * empty only in the defaults: the step refuses to run without one.
 */
public record DistillStepConfig(List<TeacherEntry> teachers, DistillConfig.Response response, double temperature,
        double alpha,
        List<DistillConfig.Hint> hints, List<DistillConfig.Relation> relations, String studentOutput,
        String teacherOutput, boolean reinit, int teacherCacheMib, TrainConfig train, String checkpoint,
        boolean resume) implements TechniqueConfig {

    /** A teacher model file (relative to the working directory) and its weight. */
    public record TeacherEntry(String model, double weight) {
    }

    public DistillStepConfig {
        teachers = teachers == null ? List.of() : List.copyOf(teachers);
        hints = hints == null ? List.of() : List.copyOf(hints);
        relations = relations == null ? List.of() : List.copyOf(relations);
        if (teacherCacheMib < 0 || teacherCacheMib > 1 << 20) {
            throw new IllegalArgumentException("teacherCacheMib must be between 0 and 1048576, not " + teacherCacheMib);
        }
        if (train == null) {
            throw new IllegalArgumentException("train settings are required");
        }
        if (resume && checkpoint == null) {
            throw new IllegalArgumentException("resume needs a checkpoint file");
        }
        if (!teachers.isEmpty()) {
            build(teachers, response, temperature, alpha, hints, relations, studentOutput, teacherOutput); // validates
        }
    }

    public static DistillStepConfig defaults() {
        return new DistillStepConfig(List.of(), DistillConfig.Response.KL, 4, 0.9, List.of(), List.of(), null, null, false, 512,
                TrainConfig.defaults(), null, false);
    }

    @Override
    public String technique() {
        return "distill";
    }

    /** The loss settings as the library takes them. */
    public DistillConfig distill() {
        if (teachers.isEmpty()) {
            throw new IllegalArgumentException("distill: name at least one teacher model");
        }
        return build(teachers, response, temperature, alpha, hints, relations, studentOutput, teacherOutput);
    }

    private static DistillConfig build(List<TeacherEntry> teachers, DistillConfig.Response response,
            double temperature, double alpha,
            List<DistillConfig.Hint> hints, List<DistillConfig.Relation> relations, String studentOutput,
            String teacherOutput) {
        return new DistillConfig(teachers.stream().map(t -> new DistillConfig.Teacher(Path.of(t.model()),
                t.weight())).toList(), response, temperature, alpha, hints, relations, studentOutput, teacherOutput);
    }
}
