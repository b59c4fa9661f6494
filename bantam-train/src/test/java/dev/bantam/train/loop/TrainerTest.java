package dev.bantam.train.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.testing.TestData;
import dev.bantam.runtime.data.DataSource;
import dev.bantam.runtime.data.DataSpec;
import dev.bantam.train.graph.TrainableGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop on the real tiny Fashion-MNIST model and real images. */
class TrainerTest {

    @TempDir
    Path dir;

    private static final TrainConfig SHORT = TrainConfig.defaults().withEpochs(2).withBatchSize(32)
            .withOptimizer(TrainConfig.OptimizerKind.ADAMW, 3e-3).withThreads(2);

    private static Model tiny() throws Exception {
        return ModelIO.load(TestData.repoModel("fmnist/tiny.onnx"));
    }

    private static DataSource data(Model m, int n) {
        return DataSpec.open("fmnist:" + TestData.fashionMnist() + ",split=train,limit=" + n, m, ModelInputs.of(m));
    }

    private static List<float[]> train(TrainConfig c, Trainer t, Model m, DataSource d, boolean reinit) {
        try (TrainableGraph g = TrainableGraph.of(m, n -> true)) {
            if (reinit) {
                g.reinitialize(c.seed());
            }
            t.train(g, d, new Supervised(g.outputs().get(0)));
            List<float[]> w = new ArrayList<>();
            g.parameters().values().forEach(a -> w.add(a.toFloatArray()));
            return w;
        }
    }

    @Test
    void reinitialisedStudentLearnsAndTheRunRepeats() throws Exception {
        Model m = tiny();
        DataSource d = data(m, 1024);
        List<TrainReport.Epoch> epochs = new ArrayList<>();
        TrainListener l = new TrainListener() {
            @Override
            public void step(int e, int s, int n, double loss, double acc, double ips) {
            }

            @Override
            public void epoch(TrainReport.Epoch e) {
                epochs.add(e);
            }
        };
        List<float[]> a = train(SHORT, new Trainer(SHORT, l), m, d, true);
        assertEquals(2, epochs.size());
        assertTrue(epochs.get(0).trainAccuracy() > 0.15, "above chance (10%) in one epoch: " + epochs.get(0));
        assertTrue(epochs.get(1).trainLoss() < 0.8 * epochs.get(0).trainLoss(), "loss falls: " + epochs);
        assertTrue(epochs.get(1).trainAccuracy() > epochs.get(0).trainAccuracy() + 0.1, "accuracy rises: " + epochs);
        List<float[]> b = train(SHORT, new Trainer(SHORT, TrainListener.NONE), m, d, true);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "same seed, same weights");
        }
    }

    @Test
    void resumeFromCheckpointGivesTheSameWeightsAsOneRun() throws Exception {
        Model m = tiny();
        DataSource d = data(m, 256);
        List<float[]> straight = train(SHORT, new Trainer(SHORT, TrainListener.NONE), m, d, false);
        Path ck = dir.resolve("run.ckpt");
        TrainListener killedAfterOneEpoch = new TrainListener() {
            @Override
            public void step(int e, int s, int n, double loss, double acc, double ips) {
            }

            @Override
            public void epoch(TrainReport.Epoch e) {
                throw new IllegalStateException("killed");
            }
        };
        assertThrows(IllegalStateException.class, () -> train(SHORT, new Trainer(SHORT, killedAfterOneEpoch)
                .checkpointTo(ck), m, d, false));
        assertTrue(Files.size(ck) > 4 * 26_000, "weights and optimizer state saved");
        List<float[]> resumed = train(SHORT, new Trainer(SHORT, TrainListener.NONE).resumeFrom(ck), m, d, false);
        for (int i = 0; i < straight.size(); i++) {
            assertArrayEquals(straight.get(i), resumed.get(i), "resumed run equals the straight one");
        }
        IllegalArgumentException changed = assertThrows(IllegalArgumentException.class, () -> train(SHORT.withSeed(9),
                new Trainer(SHORT.withSeed(9), TrainListener.NONE).resumeFrom(ck), m, d, false));
        assertTrue(changed.getMessage().contains("another training config"), changed.getMessage());
        Model other = ModelIO.load(TestData.repoModel("fmnist/cnn.onnx"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> train(SHORT,
                new Trainer(SHORT, TrainListener.NONE).resumeFrom(ck), other, data(other, 64), false));
        assertTrue(e.getMessage().contains("belongs to another model"), e.getMessage());
    }

    @Test
    void validationSplitKeepsTheBestEpoch() throws Exception {
        Model m = tiny();
        TrainConfig c = SHORT.withEpochs(3).withValidation(0.25, 1);
        try (TrainableGraph g = TrainableGraph.of(m, n -> true)) {
            TrainReport r = new Trainer(c, TrainListener.NONE).train(g, data(m, 512), new Supervised("logits"));
            assertEquals(384, r.trainItems());
            assertEquals(128, r.validationItems());
            double best = r.epochs().stream().mapToDouble(TrainReport.Epoch::validationLoss).min().orElseThrow();
            assertEquals(best, r.epochs().get(r.keptEpoch() - 1).validationLoss());
        }
    }
}
