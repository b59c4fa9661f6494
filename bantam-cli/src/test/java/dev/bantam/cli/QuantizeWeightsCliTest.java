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
 * {@code bantam quantize-weights} on the bundled tiny model and data: GPTQ and AWQ calibrated on bundled training images writes a
 * model that passes the checker and keeps its accuracy on bundled test images, reports bits, block size and the
 * layer-output SQNR per weight, gives the same bytes twice, leaves the input alone, and refuses settings that
 * cannot work in one line.
 */
class QuantizeWeightsCliTest {

    @TempDir
    Path dir;

    static final String SAMPLE = TestData.repoModel("fmnist/sample").toString();

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"gptq", "awq"})
    void dataAwareAlgorithmsKeepTheTinyModelAccurateAndReportEachLayer(String algorithm) throws Exception {
        Path in = TestData.repoModel("fmnist/tiny.onnx");
        byte[] input = Files.readAllBytes(in);
        Path out = dir.resolve("w.onnx");
        Path json = dir.resolve("w.json");
        String[] args = {"quantize-weights", in.toString(), "-o", out.toString(), "--algorithm", algorithm, "--data",
            "fmnist:" + SAMPLE + ",split=train,limit=64", "--calibration-samples", "64", "--min-weight-size", "1000",
            "--json", json.toString(), "--quiet"};
        CliTest.Run r = CliTest.bantam(args);
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(input, Files.readAllBytes(in), "the input is not changed");
        assertTrue(r.out().contains("stored 1 weights in blocks") && r.out().contains(algorithm) && r.out().contains("output"),
                r.out());
        assertEquals(java.util.List.of(), ModelChecker.check(ModelIO.load(out)).errors());
        JsonNode tensors = new ObjectMapper().readTree(json.toFile()).at("/compression/steps/0/report/tensors");
        assertTrue(tensors.size() >= 1, tensors.toString());
        for (JsonNode t : tensors) {
            assertEquals(4, t.get("bits").asInt());
            assertEquals(algorithm, t.get("algorithm").asText());
            assertTrue(t.get("outputSqnrDb").asDouble() > 15, t.toString());
            assertTrue(t.get("bytesAfter").asLong() < t.get("bytesBefore").asLong() / 5, t.toString());
        }
        CliTest.Run eval = CliTest.bantam("eval", "--model", out.toString(), "--reference", in.toString(), "--data",
                "fmnist:" + SAMPLE + ",limit=500", "--json", dir.resolve("e.json").toString(), "--quiet");
        assertEquals(0, eval.code(), eval.err());
        JsonNode models = new ObjectMapper().readTree(dir.resolve("e.json").toFile()).at("/models");
        double drop = models.get(0).at("/accuracy/top1").asDouble() - models.get(1).at("/accuracy/top1").asDouble();
        assertTrue(drop <= 0.01, "top-1 drop " + drop);
        args[3] = dir.resolve("again.onnx").toString();
        assertEquals(0, CliTest.bantam(args).code());
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(dir.resolve("again.onnx")), "the same bytes twice");
    }

    @Test
    void aResidualConvNetworkAtFourBitsAsStandardOnnxKeepsItsAccuracy() throws Exception {
        Path in = TestData.repoModel("fmnist/resnet.onnx");
        Path out = dir.resolve("r.onnx");
        Path json = dir.resolve("r.json");
        CliTest.Run r = CliTest.bantam("quantize-weights", in.toString(), "-o", out.toString(), "--algorithm", "gptq",
                "--block-size", "128", "--format", "dequantize-linear", "--min-weight-size", "500", "--data",
                "fmnist:" + SAMPLE + ",split=train,limit=64", "--calibration-samples", "64", "--json", json.toString(),
                "--quiet");
        assertEquals(0, r.code(), r.err());
        JsonNode report = new ObjectMapper().readTree(json.toFile()).at("/compression/steps/0/report");
        long convs = 0;
        for (JsonNode t : report.get("tensors")) {
            convs += t.get("opType").asText().equals("Conv") ? 1 : 0;
            assertTrue(t.get("outputSqnrDb").asDouble() > 10, t.toString());
        }
        assertEquals(14, convs, "every Conv but the 144-weight stem");
        assertTrue(Files.size(out) < 0.17 * Files.size(in), Files.size(out) + " bytes");
        CliTest.Run eval = CliTest.bantam("eval", "--model", out.toString(), "--reference", in.toString(), "--data",
                "fmnist:" + SAMPLE + ",limit=500", "--json", dir.resolve("e.json").toString(), "--quiet");
        assertEquals(0, eval.code(), eval.err());
        JsonNode models = new ObjectMapper().readTree(dir.resolve("e.json").toFile()).at("/models");
        double drop = models.get(0).at("/accuracy/top1").asDouble() - models.get(1).at("/accuracy/top1").asDouble();
        assertTrue(drop <= 0.01, "top-1 drop " + drop);
    }

    @Test
    void aFidelityTargetRaisesLayersUntilTheScoredModelMeetsIt() throws Exception {
        Path in = TestData.repoModel("fmnist/tiny.onnx");
        for (String target : new String[] {"0.5", "0.999999"}) {
            Path out = dir.resolve("f" + target + ".onnx");
            Path json = dir.resolve("f" + target + ".json");
            CliTest.Run r = CliTest.bantam("quantize-weights", in.toString(), "-o", out.toString(), "--min-weight-size",
                    "100", "--bits", "2", "--min-fidelity", target, "--eval-data", "fmnist:" + SAMPLE + ",limit=64",
                    "--task", "classify", "--json", json.toString(), "--quiet");
            assertEquals(0, r.code(), r.err());
            JsonNode report = new ObjectMapper().readTree(json.toFile()).at("/compression/steps/0/report");
            long eights = 0;
            for (JsonNode t : report.get("tensors")) {
                eights += t.get("bits").asInt() == 8 ? 1 : 0;
            }
            String notes = report.get("notes").toString();
            if (target.equals("0.5")) {
                assertEquals(0, eights, "2 bits already keep a cosine of 0.5: " + notes);
                assertTrue(notes.contains("fidelity target 0.5 met"), notes);
            } else {
                assertTrue(eights >= 1, notes);
                assertTrue(notes.contains("fidelity target 0.999999 NOT met") && eights == 2, notes);
            }
        }
    }

    @Test
    void targetSizeRaisesLayersToEightBitsWithinTheBudget() throws Exception {
        Path in = TestData.repoModel("fmnist/tiny.onnx");
        long inputBytes = Files.size(in);
        for (double target : new double[] {0.02, 0.9}) {
            Path out = dir.resolve("t" + target + ".onnx");
            Path json = dir.resolve("t" + target + ".json");
            CliTest.Run r = CliTest.bantam("quantize-weights", in.toString(), "-o", out.toString(), "--min-weight-size",
                    "100", "--target-size", String.valueOf(target), "--eval-data", "fmnist:" + SAMPLE + ",limit=64",
                    "--task", "classify", "--json", json.toString(), "--quiet");
            assertEquals(0, r.code(), r.err());
            JsonNode report = new ObjectMapper().readTree(json.toFile()).at("/compression/steps/0/report");
            long eights = 0;
            for (JsonNode t : report.get("tensors")) {
                eights += t.get("bits").asInt() == 8 ? 1 : 0;
            }
            String notes = report.get("notes").toString();
            if (target < 0.1) {
                assertEquals(0, eights, "nothing fits a target below the 4-bit size");
                assertTrue(notes.contains("not reached"), notes);
            } else {
                assertEquals(2, eights, "both layers fit at 8 bits");
                assertTrue(Files.size(out) <= target * inputBytes, Files.size(out) + " bytes");
                assertTrue(notes.contains("sensitivity scan: 2 layers scored"), notes);
            }
        }
    }

    @Test
    void settingsThatCannotWorkAreOneLine() {
        String in = TestData.repoModel("fmnist/cnn.onnx").toString();
        String out = dir.resolve("x.onnx").toString();
        for (String[] a : new String[][] {
            {"--algorithm", "gptq"},
            {"--bits", "3"},
            {"--block-size", "512"},
            {"--algorithm", "hqq", "--symmetric"},
            {"--data", "fmnist:" + SAMPLE},
            {"--algorithm", "awq"},
            {"--algorithm", "spqr"},
            {"--op-types", "Conv"},
            {"--target-size", "0.2"},
            {"--min-fidelity", "0.99"},
            {"--min-fidelity", "1.5", "--eval-data", "fmnist:" + SAMPLE},
            {"--target-size", "1.5", "--eval-data", "fmnist:" + SAMPLE}}) {
            String[] args = new String[a.length + 4];
            args[0] = "quantize-weights";
            args[1] = in;
            args[2] = "-o";
            args[3] = out;
            System.arraycopy(a, 0, args, 4, a.length);
            CliTest.Run r = CliTest.bantam(args);
            assertTrue(r.code() == 1 || r.code() == 2, String.join(" ", a) + ": exit " + r.code());
            assertEquals(1, r.err().strip().lines().count(), String.join(" ", a) + ": " + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
            assertFalse(Files.exists(Path.of(out)), "nothing written for " + String.join(" ", a));
        }
    }
}
