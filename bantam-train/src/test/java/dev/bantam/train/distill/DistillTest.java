package dev.bantam.train.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.compress.testing.Graphs;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.testing.TestData;
import dev.bantam.runtime.data.DataSource;
import dev.bantam.runtime.data.DataSpec;
import dev.bantam.train.graph.TrainableGraph;
import dev.bantam.train.loop.Evaluation;
import dev.bantam.train.loop.ModelInputs;
import dev.bantam.train.loop.TrainConfig;
import dev.bantam.train.loop.TrainListener;
import dev.bantam.train.loop.TrainReport;
import dev.bantam.train.loop.Trainer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A test-sized distillation on real Fashion-MNIST images, and the refusals of bad input. */
class DistillTest {

    @TempDir
    Path dir;

    private static DataSource data(Model m, String split, int n) {
        return DataSpec.open("fmnist:" + TestData.fashionMnist() + ",split=" + split + ",limit=" + n, m,
                ModelInputs.of(m));
    }

    @Test
    void responseDistillationTeachesAFreshStudent() throws Exception {
        Model student = ModelIO.load(TestData.repoModel("fmnist/tiny.onnx"));
        DistillConfig kd = DistillConfig.response(TestData.repoModel("fmnist/resnet.onnx"));
        TrainConfig c = TrainConfig.defaults().withEpochs(3).withBatchSize(32).withThreads(2)
                .withOptimizer(TrainConfig.OptimizerKind.ADAMW, 3e-3);
        DataSource train = data(student, "train", 1536);
        try (TrainableGraph g = TrainableGraph.of(student, n -> true);
             DistillObjective objective = new DistillObjective(kd, c.seed(), 64L << 20)) {
            g.reinitialize(7);
            double before = Evaluation.top1(g, data(student, "test", 500), 100);
            TrainReport r = new Trainer(c, TrainListener.NONE).train(g, train, objective);
            double after = Evaluation.top1(g, data(student, "test", 500), 100);
            assertEquals(3, r.epochs().size());
            assertTrue(r.epochs().get(2).trainLoss() < 0.7 * r.epochs().get(0).trainLoss(), "loss falls: " + r);
            assertTrue(before < 0.3 && after > 0.65, "top-1 on 500 test images " + before + " -> " + after);
        }
    }

    @Test
    void studentWhoseOutputDiffersIsRefused() throws Exception {
        Model teacher = ModelIO.load(TestData.repoModel("fmnist/tiny.onnx"));
        Value w = teacher.graph().initializer("9.weight");
        Value b = teacher.graph().initializer("9.bias");
        teacher.graph().setInitializer(w, Tensor.ofFloats("9.weight", new float[12 * 32], 12, 32));
        teacher.graph().setInitializer(b, Tensor.ofFloats("9.bias", new float[12], 12));
        teacher.graph().outputs().get(0).setType(null);
        Path t = dir.resolve("twelve.onnx");
        ModelIO.save(teacher, t);
        Model student = ModelIO.load(TestData.repoModel("fmnist/tiny.onnx"));
        try (TrainableGraph g = TrainableGraph.of(student, n -> true);
             DistillObjective o = new DistillObjective(DistillConfig.response(t), 1, 0)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Trainer(TrainConfig.defaults().withEpochs(1), TrainListener.NONE)
                            .train(g, data(student, "train", 64), o));
            assertTrue(e.getMessage().contains("has shape (2, 10)") && e.getMessage().contains("(2, 12)"),
                    e.getMessage());
        }
    }

    @Test
    void unsupportedOperatorAndUnlabelledDataAreRefused() throws Exception {
        Model loop = Graphs.controlFlow();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainableGraph.of(loop, n -> true));
        assertTrue(e.getMessage().startsWith("the training engine has no translation for If (1 node)"), e.getMessage());
        Model student = ModelIO.load(TestData.repoModel("fmnist/tiny.onnx"));
        DataSource unlabelled = DataSpec.open("synthetic:64", student, ModelInputs.of(student));
        DistillConfig withLabels = DistillConfig.response(TestData.repoModel("fmnist/cnn.onnx"));
        try (TrainableGraph g = TrainableGraph.of(student, n -> true);
             DistillObjective o = new DistillObjective(withLabels, 1, 0)) {
            IllegalArgumentException l = assertThrows(IllegalArgumentException.class,
                    () -> new Trainer(TrainConfig.defaults(), TrainListener.NONE).train(g, unlabelled, o));
            assertTrue(l.getMessage().contains("needs labels"), l.getMessage());
        }
    }

}
