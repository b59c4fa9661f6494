package dev.bantam.train.loop;

import dev.bantam.compress.CompressionContext;
import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.ir.Model;
import dev.bantam.runtime.data.DataSource;
import dev.bantam.runtime.data.DataSpec;
import dev.bantam.train.graph.TrainableGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the training techniques share: the model translated (re-initialised when asked), the step's data opened
 * from the context's calibration data spec, progress to the context, and a checkpoint file.
 */
public final class TrainingRun {

    private final TrainableGraph graph;
    private final DataSource data;
    private final Trainer trainer;
    private final boolean reinit;
    private final long seed;

    private TrainingRun(TrainableGraph graph, DataSource data, Trainer trainer, boolean reinit, long seed) {
        this.graph = graph;
        this.data = data;
        this.trainer = trainer;
        this.reinit = reinit;
        this.seed = seed;
    }

    public static TrainingRun of(Model model, CompressionContext context, TrainConfig config, boolean reinit,
            String checkpoint, boolean resume) {
        String spec = context.calibrationData().orElseThrow(() -> new IllegalArgumentException(
                "training data is required (--data)"));
        DataSource data = DataSpec.open(spec, model, ModelInputs.of(model));
        Trainer trainer = new Trainer(config, new Progress(context.progress()));
        if (checkpoint != null) {
            trainer.checkpointTo(Path.of(checkpoint));
            if (resume) {
                trainer.resumeFrom(Path.of(checkpoint));
            }
        }
        TrainableGraph g = TrainableGraph.of(model, name -> true);
        if (reinit) {
            g.reinitialize(config.seed());
        }
        return new TrainingRun(g, data, trainer, reinit, config.seed());
    }

    public TrainableGraph graph() {
        return graph;
    }

    public DataSource data() {
        return data;
    }

    public TrainReport train(Objective objective) {
        return trainer.train(graph, data, objective);
    }

    /** The notes a report carries about the run. */
    public List<String> notes(TrainReport r) {
        List<String> notes = new ArrayList<>();
        if (reinit) {
            notes.add("the model started from fresh weights (seed " + seed + ")");
        }
        if (r.resumedAfterEpoch() > 0) {
            notes.add("resumed after epoch " + r.resumedAfterEpoch());
        }
        notes.add(r.stopReason() + "; kept the weights of epoch " + r.keptEpoch());
        return notes;
    }

    /** Training progress as the context's progress stages: "epoch 2 loss 0.412 acc 0.871 1840 items/s". */
    private record Progress(ProgressListener progress) implements TrainListener {

        @Override
        public void step(int epoch, int step, int steps, double loss, double accuracy, double itemsPerSecond) {
            String acc = Double.isNaN(accuracy) ? "" : String.format(Locale.ROOT, " acc %.3f", accuracy);
            progress.progress(String.format(Locale.ROOT, "epoch %d loss %.4f%s %.0f items/s", epoch, loss, acc,
                    itemsPerSecond), step, steps);
        }

        @Override
        public void epoch(TrainReport.Epoch e) {
        }
    }
}
