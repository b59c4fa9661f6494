package dev.bantam.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.testing.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Through the Java API: each Fashion-MNIST fixture's top-1 on the 10,000 test images equals the manifest's. */
class FashionMnistAccuracyTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "cnn", "mobilenet", "resnet"})
    void topOneMatchesTheManifest(String name) throws Exception {
        TestData.fashionMnist();
        JsonNode manifest = new ObjectMapper().readTree(TestData.repoModel("fmnist/manifest.json").toFile());
        double expected = manifest.path(name).path("test_top1").asDouble();
        EvalResult r = Evaluator.run(new EvalConfig(TestData.repoModel("fmnist/" + name + ".onnx"), null, "fmnist",
                Task.CLASSIFY, 256, dev.bantam.runtime.RuntimeOptions.defaults(), 0.7), ProgressListener.NONE);
        ModelReport m = r.models().getFirst();
        assertEquals(10_000, m.accuracy().items());
        assertEquals(expected, m.accuracy().top1(), 0.001, name);
        assertTrue(m.accuracy().top5() >= m.accuracy().top1());
        assertTrue(m.energy().macsFp32() > 0, "MACs counted");
        assertTrue(m.latency().p50Ms() > 0);
        // the test set holds 1,000 images of each class, so the macro recall is the top-1 accuracy
        assertEquals(10, m.accuracy().perClass().size());
        assertEquals(m.accuracy().top1(), m.accuracy().macroRecall(), 1e-12);
        assertEquals("Shirt", m.accuracy().perClass().get(6).name());
        assertTrue(m.accuracy().perClass().stream().allMatch(c -> c.support() == 1000));
        assertEquals(10_000, m.accuracy().perClass().stream().mapToLong(c -> c.predicted()).sum());
    }
}
