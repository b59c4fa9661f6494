package dev.bantam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bantam compress}: a recipe gives the same bytes as its steps run as commands one after the other, a
 * model's recorded recipe reproduces it, the bundled recipe runs on the bundled model and data (README line
 * 1), and a malformed recipe is one line.
 */
class CompressCliTest {

    @TempDir
    Path dir;

    static final String SAMPLE = TestData.repoModel("fmnist/sample").toString();
    static final String CALIBRATION = "fmnist:" + SAMPLE + ",split=train,limit=100";

    private Path recipe(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static void ok(CliTest.Run r) {
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void aTwoStepRecipeWritesWhatTheTwoCommandsWrite() throws Exception {
        String in = TestData.repoModel("ocr-cls.onnx").toString();
        String data = "synthetic:24,dims=p2o.DynamicDimension.1=48/p2o.DynamicDimension.2=192";
        Path optimized = dir.resolve("optimized.onnx");
        Path twoCommands = dir.resolve("two-commands.onnx");
        ok(CliTest.bantam("optimize", in, "-o", optimized.toString(), "--level", "extended"));
        ok(CliTest.bantam("quantize", optimized.toString(), "-o", twoCommands.toString(), "--mode", "static",
                "--calibration-data", data, "--calibration-samples", "24", "--quiet", "--allow-slower"));
        Path r = recipe("two.yaml", """
                bantam-recipe: 1
                steps:
                  - optimize: {level: extended}
                  - quantize-static:
                      calibration: {samples: 24}
                      speed: {enabled: false}
                """);
        Path oneRecipe = dir.resolve("recipe.onnx");
        CliTest.Run run = CliTest.bantam("compress", in, "-o", oneRecipe.toString(), "--recipe", r.toString(), "--data", data,
                "--quiet");
        ok(run);
        assertTrue(run.out().contains("fold-batch-norm") && run.out().contains("quantized"), run.out());
        assertArrayEquals(Files.readAllBytes(twoCommands), Files.readAllBytes(oneRecipe),
                "byte-identical, provenance included");
    }

    @Test
    void aModelsRecordedRecipeReproducesIt() throws Exception {
        // resnet: int8 runs it faster, so the speed guard keeps groups, by timings the recorded recipe fixes
        String in = TestData.repoModel("fmnist/resnet.onnx").toString();
        Path first = dir.resolve("first.onnx");
        ok(CliTest.bantam("quantize", in, "-o", first.toString(), "--mode", "static", "--calibration-data", CALIBRATION,
                "--per-tensor", "--calibration", "percentile", "--percentile", "99.9", "--quiet"));
        Path again = dir.resolve("again.onnx");
        ok(CliTest.bantam("compress", in, "-o", again.toString(), "--recipe-from", first.toString(), "--quiet"));
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(again), "the recorded data is used");
        Path withOtherData = dir.resolve("other.onnx");
        ok(CliTest.bantam("compress", in, "-o", withOtherData.toString(), "--recipe-from", first.toString(),
                "--data", "fmnist:" + SAMPLE + ",split=train,limit=50", "--quiet"));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(first), Files.readAllBytes(withOtherData)),
                "--data replaces the recorded data");
        CliTest.Run none = CliTest.bantam("compress", in, "-o", dir.resolve("x.onnx").toString(), "--recipe-from", in);
        assertEquals(1, none.code());
        assertTrue(none.err().contains("records no recipe"), none.err());
        // another input: the recipe runs with a note. Recorded without the speed guard's returns, which name resnet's
        // layers when the machine times some faster in float (a recipe keeping cnn's absent layers float is refused)
        Path plain = dir.resolve("plain.onnx");
        ok(CliTest.bantam("quantize", in, "-o", plain.toString(), "--mode", "static", "--calibration-data", CALIBRATION,
                "--allow-slower", "--quiet"));
        CliTest.Run other = CliTest.bantam("compress", TestData.repoModel("fmnist/cnn.onnx").toString(), "-o",
                dir.resolve("cnn.onnx").toString(), "--recipe-from", plain.toString(), "--quiet");
        ok(other);
        assertTrue(other.err().contains("is not the input the recipe"), other.err());
    }

    @Test
    void theGuardsDecisionsReplayFromTheRecordedRecipe() throws Exception {
        // a budget tight enough that groups go back to float (and calibration methods may change): the decisions are
        // fixed in the recipe the model records, so the replay writes the same bytes (the speed guard's decisions
        // replay in aModelsRecordedRecipeReproducesIt; off here, so that a loaded machine cannot refuse the model)
        String in = TestData.repoModel("fmnist/resnet.onnx").toString();
        Path first = dir.resolve("guarded.onnx");
        Path json = dir.resolve("guarded.json");
        ok(CliTest.bantam("quantize", in, "-o", first.toString(), "--mode", "static", "--calibration-data", CALIBRATION,
                "--min-fidelity", "0.99995", "--allow-slower", "--json", json.toString(), "--quiet"));
        JsonNode report = new ObjectMapper().readTree(json.toFile()).path("compression").path("steps").path(0)
                .path("report");
        assertTrue(report.path("guard").path("keptFloat").size() > 0, report.path("guard").toString());
        JsonNode config = report.path("config");
        assertFalse(config.path("speed").path("enabled").asBoolean(true), config.toString());
        assertEquals(report.path("guard").path("keptFloat"), config.path("keptFloat"), config.toString());
        Path again = dir.resolve("replayed.onnx");
        ok(CliTest.bantam("compress", in, "-o", again.toString(), "--recipe-from", first.toString(), "--quiet"));
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(again), "the guards' decisions replay");
    }

    @Test
    void theBundledRecipeOnTheBundledModelWithAReport() throws Exception {
        Path out = dir.resolve("resnet-int8.onnx");
        Path html = dir.resolve("report.html");
        Path json = dir.resolve("report.json");
        CliTest.Run r = CliTest.bantam("compress", TestData.repoModel("fmnist/resnet.onnx").toString(), "-o", out.toString(),
                "--recipe", TestData.repoFile("recipes/int8-static.yaml").toString(), "--data", CALIBRATION,
                "--eval-data", "fmnist:" + SAMPLE + ",limit=300", "--html", html.toString(), "--json", json.toString(),
                "--quiet");
        ok(r);
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        JsonNode models = j.path("evaluation").path("models");
        double before = models.get(0).path("accuracy").path("top1").asDouble();
        double after = models.get(1).path("accuracy").path("top1").asDouble();
        assertTrue(before - after <= 0.02, "top-1 " + before + " -> " + after);
        assertEquals(2, j.path("compression").path("steps").size());
        assertTrue(j.path("compression").path("after").path("parameterBytes").asLong()
                < j.path("compression").path("before").path("parameterBytes").asLong() / 3, "weights in 8 bits");
        String page = Files.readString(html);
        for (String part : List.of("What it kept", "Step 1: optimize", "Step 2: quantize-static", "<svg", "bantam-recipe: 1",
                "top-1")) {
            assertTrue(page.contains(part), part);
        }
    }

    @Test
    void malformedRecipesAndMissingFilesAreOneLine() throws Exception {
        String in = TestData.repoModel("fmnist/tiny.onnx").toString();
        Path out = dir.resolve("y.onnx");
        Object[][] cases = {
            {recipe("v.yaml", "bantam-recipe: 3\nsteps: [{optimize: {}}]\n"), "v.yaml: unsupported recipe version 3"},
            {recipe("t.yaml", "bantam-recipe: 1\nsteps: [{prune: {}}]\n"), "t.yaml: steps[1]: unknown technique 'prune'"},
            {recipe("f.yaml", "bantam-recipe: 1\nsteps: [{optimize: {levle: basic}}]\n"),
                "f.yaml: steps[1].optimize: unknown field 'levle'"},
            {recipe("m.json", "{\"bantam-recipe\": 1, \"steps\": [{\"quantize-static\": {\"calibration\": {\"samples\": \"x\"}}}]}"),
                "m.json: steps[1].quantize-static.calibration.samples: expected an integer"},
            {dir.resolve("absent.yaml"), "no such file"},
        };
        for (Object[] c : cases) {
            CliTest.Run r = CliTest.bantam("compress", in, "-o", out.toString(), "--recipe", c[0].toString());
            assertEquals(1, r.code(), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains((String) c[1]), r.err());
            assertFalse(Files.exists(out));
        }
        Path needsData = recipe("d.yaml", "bantam-recipe: 1\nsteps: [{quantize-static: {}}]\n");
        CliTest.Run r = CliTest.bantam("compress", in, "-o", out.toString(), "--recipe", needsData.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("quantize-static needs calibration data"), r.err());
        CliTest.Run both = CliTest.bantam("compress", in, "-o", out.toString(), "--recipe", needsData.toString(),
                "--recipe-from", in);
        assertEquals(2, both.code(), "--recipe and --recipe-from are exclusive");
        CliTest.Run overInput = CliTest.bantam("compress", in, "-o", in, "--recipe", needsData.toString());
        assertTrue(overInput.err().contains("refusing to overwrite the input model"), overInput.err());
        CliTest.Run sameReport = CliTest.bantam("compress", in, "-o", out.toString(), "--recipe", needsData.toString(),
                "--json", out.toString());
        assertTrue(sameReport.err().contains("--json and -o name the same file"), sameReport.err());
    }

    @Test
    void provenanceRecordsTheRecipe() throws Exception {
        Path out = dir.resolve("p.onnx");
        ok(CliTest.bantam("quantize", TestData.repoModel("fmnist/tiny.onnx").toString(), "-o", out.toString(),
                "--op-types", "Conv,Gemm", "--min-weight-size", "0"));
        var meta = ModelIO.load(out).metadata();
        String recipe = meta.stream().filter(kv -> kv.key().equals("bantam.recipe")).findFirst().orElseThrow().value();
        assertTrue(recipe.startsWith("{\"bantam-recipe\":1,\"steps\":[{\"quantize-dynamic\":{\"scope\":{\"opTypes\":[\"Conv\",\"Gemm\"]"),
                recipe);
    }
}
