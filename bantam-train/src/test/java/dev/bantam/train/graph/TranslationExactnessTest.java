package dev.bantam.train.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.testing.Ort;
import dev.bantam.onnx.testing.FashionMnist;
import dev.bantam.onnx.testing.RealModels;
import dev.bantam.onnx.testing.TestData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The translated forward pass equals ONNX Runtime's outputs on real inputs: every Fashion-MNIST model on
 * test images, the OCR classifier, MiniLM on tokenized sentences. Tolerance: the largest difference is at
 * most 1e-4 of the output's largest magnitude.
 */
class TranslationExactnessTest {

    @TempDir
    static Path dir;

    static List<RealModels.Case> cases() throws Exception {
        List<RealModels.Case> all = new java.util.ArrayList<>();
        for (String m : List.of("tiny", "cnn", "mobilenet", "resnet")) {
            all.add(new RealModels.Case("fmnist-" + m, TestData.repoModel("fmnist/" + m + ".onnx"),
                    Map.of("input", FashionMnist.testImages("input", 32))));
        }
        all.add(new RealModels.Case("ocr-cls", TestData.repoModel("ocr-cls.onnx"),
                Map.of("x", Images.ocrLines("x", 4))));
        all.add(RealModels.minilm(dir));
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardEqualsOnnxRuntime(RealModels.Case c) throws Exception {
        Model model = ModelIO.load(c.model());
        Map<String, Ort.Output> expected = Ort.run(c.model(), c.inputs());
        try (TrainableGraph g = TrainableGraph.of(model, name -> true);
             NDManager step = NDManager.newBaseManager()) {
            assertTrue(g.parameterCount() > 0, "weights found");
            Map<String, NDArray> feeds = new HashMap<>();
            for (String in : g.inputs()) {
                feeds.put(in, Constants.of(step, c.inputs().get(in)));
            }
            Map<String, NDArray> out = g.forward(step, feeds, false, List.of());
            for (Map.Entry<String, Ort.Output> e : expected.entrySet()) {
                NDArray actual = out.get(e.getKey());
                float[] want = floats(e.getValue().bytes());
                float[] got = actual.toFloatArray();
                assertEquals(want.length, got.length, e.getKey());
                double scale = 0;
                double worst = 0;
                for (int i = 0; i < want.length; i++) {
                    scale = Math.max(scale, Math.abs(want[i]));
                    worst = Math.max(worst, Math.abs(want[i] - got[i]));
                }
                assertTrue(worst <= 1e-4 * scale, c.name() + " " + e.getKey() + ": max difference " + worst
                        + " against a largest magnitude " + scale);
            }
        }
    }

    private static float[] floats(byte[] bytes) {
        float[] f = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

}
