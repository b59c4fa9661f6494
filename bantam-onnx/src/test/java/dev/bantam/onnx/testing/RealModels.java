package dev.bantam.onnx.testing;

import dev.bantam.onnx.ir.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The real models of the project's data notes, each with real (or, for OCR, seeded) inputs. */
public final class RealModels {

    public record Case(String name, Path model, Map<String, Tensor> inputs) {
        @Override
        public String toString() {
            return name;
        }
    }

    private RealModels() {
    }

    public static List<Case> all(Path dir) throws IOException {
        List<Case> out = new java.util.ArrayList<>();
        for (String m : List.of("tiny", "cnn", "mobilenet", "resnet")) {
            out.add(new Case("fmnist-" + m, TestData.repoModel("fmnist/" + m + ".onnx"),
                    Map.of("input", FashionMnist.testImages("input", 32))));
        }
        out.add(new Case("ocr-cls", TestData.repoModel("ocr-cls.onnx"), Map.of("x", seeded("x", 2, 3, 48, 192))));
        out.add(text("minilm", "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", dir));
        out.add(text("minilm-q", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", dir));
        out.add(text("e5-small-v2-q", "e5-small-v2-q.onnx", "e5-small-v2-q-tokenizer.json", dir));
        return out;
    }

    public static Case minilm(Path dir) throws IOException {
        return text("minilm", "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", dir);
    }

    private static Case text(String name, String model, String tokenizer, Path dir) throws IOException {
        Path m = TestData.classpathModel(model, dir);
        WordPiece wp = new WordPiece(TestData.classpathModel(tokenizer, dir));
        return new Case(name, m, new LinkedHashMap<>(wp.batch(WordPiece.SENTENCES)));
    }

    private static Tensor seeded(String name, long... dims) {
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        float[] v = new float[n];
        Random r = new Random(7);
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat();
        }
        return Tensor.ofFloats(name, v, dims);
    }
}
