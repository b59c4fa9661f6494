package dev.bantam.train.finetune;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Technique;
import dev.bantam.onnx.ir.Model;
import dev.bantam.train.graph.TrainableGraph;
import dev.bantam.train.loop.Supervised;
import dev.bantam.train.loop.TrainReport;
import dev.bantam.train.loop.TrainingRun;
import java.util.List;

/** Fine-tuning with labels as a technique: the model trains on the step's data and keeps its structure. */
public final class FineTuneTechnique implements Technique<FineTuneConfig, FineTuneReport> {

    @Override
    public FineTuneConfig defaults() {
        return FineTuneConfig.defaults();
    }

    @Override
    public boolean needsData(FineTuneConfig config) {
        return true;
    }

    @Override
    public FineTuneReport apply(Model model, FineTuneConfig config, CompressionContext context) {
        TrainingRun run = TrainingRun.of(model, context, config.train(), config.reinit(), config.checkpoint(),
                config.resume());
        try (TrainableGraph g = run.graph()) {
            String output = config.output() == null ? g.outputs().get(0) : config.output();
            if (!g.outputs().contains(output)) {
                throw new IllegalArgumentException("fine-tune: the model has no output named '" + output + "'");
            }
            TrainReport r = run.train(new Supervised(output));
            g.writeBack(model);
            return new FineTuneReport(config, r, List.copyOf(g.parameters().keySet()), run.notes(r));
        }
    }
}
