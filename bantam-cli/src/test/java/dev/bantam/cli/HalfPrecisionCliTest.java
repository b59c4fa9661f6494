package dev.bantam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bantam half-precision} on the bundled ResNet and data: half the file, the same predictions on the bundled
 * test images, a report in text, JSON and HTML, the same bytes twice and as a recipe, the input left alone, and
 * options that cannot work refused in one line.
 */
class HalfPrecisionCliTest {

    @TempDir
    Path dir;

    static final String SAMPLE = TestData.repoModel("fmnist/sample").toString();

    @Test
    void fp16HalvesTheResnetAndKeepsItsPredictions() throws Exception {
        Path in = TestData.repoModel("fmnist/resnet.onnx");
        byte[] input = Files.readAllBytes(in);
        Path out = dir.resolve("r16.onnx");
        Path json = dir.resolve("r16.json");
        Path html = dir.resolve("r16.html");
        String[] args = {"half-precision", in.toString(), "-o", out.toString(), "--eval-data", "fmnist:" + SAMPLE
                + ",limit=500", "--score-items", "64", "--json", json.toString(), "--html", html.toString(), "--quiet"};
        CliTest.Run r = CliTest.bantam(args);
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(input, Files.readAllBytes(in), "the input is not changed");
        assertTrue(r.out().contains("fp16, compute float: 15 of 32 weights stored in fp16"), r.out());
        assertTrue(Files.size(out) <= 0.52 * input.length, "size " + Files.size(out));
        assertEquals(List.of(), ModelChecker.check(ModelIO.load(out)).errors());
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        JsonNode report = doc.at("/compression/steps/0/report");
        assertEquals(15, report.get("loadCasts").asInt(), "one Cast per stored weight");
        assertEquals(0, report.get("runtimeCasts").asInt());
        assertTrue(report.get("fidelity").get("meanCosine").asDouble() > 0.99999, report.get("fidelity").toString());
        for (JsonNode t : report.get("tensors")) {
            assertTrue(t.get("converted").asBoolean() ? t.get("sqnrDb").asDouble() > 60
                    : t.get("reason").asText().contains("smaller than 256 elements"), t.toString());
        }
        JsonNode models = doc.at("/evaluation/models");
        assertEquals(models.get(0).at("/accuracy/top1").asDouble(), models.get(1).at("/accuracy/top1").asDouble(), 0.002,
                "top-1 on 500 test images within one image");
        assertTrue(Files.readString(html).contains("Constants (stored in fp16 first"));
        args[3] = dir.resolve("again.onnx").toString();
        assertEquals(0, CliTest.bantam(args).code());
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(dir.resolve("again.onnx")), "the same bytes twice");
    }

    @Test
    void bf16HalfComputeSaysPerOperatorWhyItStaysFloatAndMatchesItsRecipe() throws Exception {
        Path in = TestData.repoModel("fmnist/cnn.onnx");
        Path out = dir.resolve("b.onnx");
        Path json = dir.resolve("b.json");
        CliTest.Run r = CliTest.bantam("half-precision", in.toString(), "-o", out.toString(), "--type", "bf16", "--compute",
                "half", "--json", json.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("bf16, compute half") && r.out().contains("0 of 10 operators in bf16"), r.out());
        assertTrue(r.out().contains("kernel of its own (it refuses such a model)"), r.out());
        JsonNode nodes = new ObjectMapper().readTree(json.toFile()).at("/compression/steps/0/report/nodes");
        assertEquals(10, nodes.size());
        for (JsonNode n : nodes) {
            assertFalse(n.get("half").asBoolean(), n.toString());
        }
        Path recipe = Files.writeString(dir.resolve("r.yaml"), """
                bantam-recipe: 1
                steps:
                  - half-precision: {type: bf16, compute: half}
                """);
        Path viaRecipe = dir.resolve("recipe.onnx");
        assertEquals(0, CliTest.bantam("compress", in.toString(), "-o", viaRecipe.toString(), "--recipe", recipe.toString(),
                "--quiet").code());
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(viaRecipe), "byte-identical, provenance included");
    }

    @Test
    void optionsThatCannotWorkAreOneLine() {
        String in = TestData.repoModel("fmnist/tiny.onnx").toString();
        String out = dir.resolve("x.onnx").toString();
        for (List<String> args : List.of(
                List.of("--type", "fp8"),
                List.of("--compute", "float", "--data", "fmnist:" + SAMPLE + ",split=train"),
                List.of("--min-fidelity", "0.999"),
                List.of("--target", "gpu"))) {
            List<String> all = new java.util.ArrayList<>(List.of("half-precision", in, "-o", out, "--quiet"));
            all.addAll(args);
            CliTest.Run r = CliTest.bantam(all.toArray(String[]::new));
            assertEquals(1, r.code(), args + ": " + r.err());
            assertEquals(1, r.err().lines().count(), args + ": " + r.err());
        }
        assertFalse(Files.exists(dir.resolve("x.onnx")), "nothing written");
    }
}
