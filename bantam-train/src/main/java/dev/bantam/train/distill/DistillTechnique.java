package dev.bantam.train.distill;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Technique;
import dev.bantam.onnx.ir.Model;
import dev.bantam.train.graph.TrainableGraph;
import dev.bantam.train.loop.TrainReport;
import dev.bantam.train.loop.TrainingRun;
import java.util.List;

/**
 * Knowledge distillation as a technique: the model is the student, trained on the step's data (the context's
 * calibration data) against the teachers, its weights written back in place. Unlike the other techniques it
 * runs the student itself, on the training engine: training is not a statistic the context could collect.
 */
public final class DistillTechnique implements Technique<DistillStepConfig, DistillReport> {

    @Override
    public DistillStepConfig defaults() {
        return DistillStepConfig.defaults();
    }

    @Override
    public boolean needsData(DistillStepConfig config) {
        return true;
    }

    @Override
    public DistillReport apply(Model model, DistillStepConfig config, CompressionContext context) {
        DistillConfig distill = config.distill();
        for (DistillConfig.Teacher t : distill.teachers()) {
            if (!java.nio.file.Files.isRegularFile(t.model())) {
                throw new IllegalArgumentException("distill: teacher " + t.model() + " is not a file");
            }
        }
        TrainingRun run = TrainingRun.of(model, context, config.train(), config.reinit(), config.checkpoint(),
                config.resume());
        try (TrainableGraph g = run.graph();
             DistillObjective objective = new DistillObjective(distill, config.train().seed(),
                     (long) config.teacherCacheMib() << 20)) {
            TrainReport r = run.train(objective);
            g.writeBack(model);
            return new DistillReport(config, r, List.copyOf(g.parameters().keySet()), run.notes(r));
        }
    }
}
