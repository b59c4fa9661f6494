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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bantam factorize} and {@code bantam share-weights} on the bundled model and data: outputs that pass the
 * checker, the input untouched, reports with what a user checks per layer (rank, MACs, time alone before and
 * after; codebook, SQNR, bytes), the same bytes twice, and one-line errors for settings that cannot work.
 */
class FactorizeAndShareCliTest {

    @TempDir
    Path dir;

    static final String SAMPLE = TestData.repoModel("fmnist/sample").toString();

    @Test
    void factorizeReportsRankMacsAndTimePerLayer() throws Exception {
        Path in = TestData.repoModel("fmnist/cnn.onnx");
        byte[] input = Files.readAllBytes(in);
        Path out = dir.resolve("f.onnx");
        Path json = dir.resolve("f.json");
        CliTest.Run r = CliTest.bantam("factorize", in.toString(), "-o", out.toString(), "--plain", "--eval-data",
                "fmnist:" + SAMPLE + ",limit=64", "--rank-by", "ratio", "--json", json.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(input, Files.readAllBytes(in), "the input is not changed");
        assertEquals(java.util.List.of(), ModelChecker.check(ModelIO.load(out)).errors());
        JsonNode layers = new ObjectMapper().readTree(json.toFile()).at("/compression/steps/0/report/tensors");
        assertEquals(2, layers.size(), layers.toString());
        for (JsonNode l : layers) {
            assertTrue(l.get("rank").asInt() < l.get("fullRank").asInt());
            assertTrue(l.get("macsAfter").asLong() < l.get("macsBefore").asLong(), l.toString());
            assertTrue(l.get("msBefore").asDouble() > 0 && l.get("msAfter").asDouble() > 0, l.toString());
            assertTrue(l.get("parametersAfter").asLong() < l.get("parametersBefore").asLong());
        }
        assertTrue(r.out().contains("factorized 2 layers") && r.out().contains(" ms"), r.out());
        Path again = dir.resolve("again.onnx");
        assertEquals(0, CliTest.bantam("factorize", in.toString(), "-o", again.toString(), "--plain", "--eval-data",
                "fmnist:" + SAMPLE + ",limit=64", "--rank-by", "ratio", "--quiet").code());
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(again), "the same bytes twice");
    }

    @Test
    void shareWeightsWritesASmallerModelThatRuns() throws Exception {
        Path in = TestData.repoModel("fmnist/resnet.onnx");
        Path out = dir.resolve("s.onnx");
        Path json = dir.resolve("s.json");
        CliTest.Run r = CliTest.bantam("share-weights", in.toString(), "-o", out.toString(), "--codebook", "log2",
                "--bits", "5", "--block-size", "16", "--json", json.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(out) < 0.4 * Files.size(in), Files.size(out) + " bytes");
        JsonNode report = new ObjectMapper().readTree(json.toFile()).at("/compression/steps/0/report");
        assertTrue(report.get("tensors").size() > 10);
        for (JsonNode t : report.get("tensors")) {
            assertEquals("per-block", t.get("granularity").asText());
            assertTrue(t.get("sqnrDb").asDouble() > 15, t.toString());
        }
        CliTest.Run eval = CliTest.bantam("eval", "--model", out.toString(), "--reference", in.toString(), "--data",
                "fmnist:" + SAMPLE + ",limit=200", "--quiet");
        assertEquals(0, eval.code(), eval.err());
    }

    @Test
    void settingsThatCannotWorkAreOneLine() {
        String in = TestData.repoModel("fmnist/cnn.onnx").toString();
        String out = dir.resolve("x.onnx").toString();
        for (String[] args : new String[][] {
                {"factorize", in, "-o", out},
                {"factorize", in, "-o", out, "--plain", "--data", "fmnist:" + SAMPLE},
                {"factorize", in, "-o", out, "--plain", "--conv", "cp"},
                {"share-weights", in, "-o", out, "--codebook", "kmeans", "--block-size", "32"},
                {"share-weights", in, "-o", out, "--per-channel", "--block-size", "32", "--codebook", "log2"},
                {"share-weights", in, "-o", out, "--clusters", "300"},
                {"share-weights", in, "-o", in}}) {
            CliTest.Run r = CliTest.bantam(args);
            assertEquals(1, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), String.join(" ", args) + ": " + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
        assertFalse(Files.exists(dir.resolve("x.onnx")));
    }
}
