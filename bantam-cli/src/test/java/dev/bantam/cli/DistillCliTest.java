package dev.bantam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bantam.compress.testing.Graphs;
import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bantam distill} and {@code bantam fine-tune} (issue 16): the output is the input's graph with new weights,
 * passes the checker, runs in ONNX Runtime (evaluated), is the same bytes twice, and records its recipe; bad input
 * gets one line.
 */
class DistillCliTest {

    @TempDir
    Path dir;

    static final String SAMPLE = TestData.repoModel("fmnist/sample").toString();

    @Test
    void distilledStudentKeepsItsGraphAndRepeats() throws Exception {
        Path in = TestData.repoModel("fmnist/tiny.onnx");
        byte[] input = Files.readAllBytes(in);
        Path out = dir.resolve("kd.onnx");
        Path json = dir.resolve("kd.json");
        String[] args = {"distill", in.toString(), "-o", out.toString(), "--teacher",
            TestData.repoModel("fmnist/cnn.onnx").toString(), "--data", "fmnist:" + SAMPLE + ",split=train",
            "--epochs", "2", "--batch-size", "32", "--threads", "2", "--eval-data", "fmnist:" + SAMPLE,
            "--no-speed-check", "--json", json.toString(), "--quiet"};
        CliTest.Run r = CliTest.bantam(args);
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(input, Files.readAllBytes(in), "the input is not changed");
        Model before = ModelIO.load(in);
        Model after = ModelIO.load(out);
        assertEquals(List.of(), ModelChecker.check(after).errors());
        assertEquals(before.graph().nodes().stream().map(Node::opType).toList(),
                after.graph().nodes().stream().map(Node::opType).toList(), "same graph");
        assertFalse(Arrays.equals(before.graph().initializer("7.weight").initializer().toFloatArray(),
                after.graph().initializer("7.weight").initializer().toFloatArray()), "new weights");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        JsonNode epochs = report.at("/compression/steps/0/report/training/epochs");
        assertEquals(2, epochs.size(), epochs.toString());
        assertTrue(epochs.get(1).get("trainLoss").asDouble() < epochs.get(0).get("trainLoss").asDouble(), epochs.toString());
        assertTrue(report.at("/evaluation/models/1/accuracy/top1").asDouble() > 0.8, report.at("/evaluation").toString());
        assertTrue(after.metadata().stream().anyMatch(kv -> kv.key().equals("bantam.recipe")
                && kv.value().contains("distill")), "recipe recorded");
        Path again = dir.resolve("again.onnx");
        args[3] = again.toString();
        assertEquals(0, CliTest.bantam(Arrays.copyOf(args, args.length - 3)).code());
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(again), "the same bytes twice");
    }

    @Test
    void badInputGetsOneLine() throws Exception {
        String tiny = TestData.repoModel("fmnist/tiny.onnx").toString();
        String data = "fmnist:" + SAMPLE + ",split=train,limit=64";
        Path out = dir.resolve("o.onnx");
        oneLine(CliTest.bantam("distill", tiny, "-o", out.toString(), "--teacher", dir.resolve("nope.onnx").toString(),
                "--data", data), "nope.onnx");
        Path corrupt = dir.resolve("corrupt.onnx");
        Files.write(corrupt, Arrays.copyOf(Files.readAllBytes(TestData.repoModel("fmnist/cnn.onnx")), 300));
        oneLine(CliTest.bantam("distill", tiny, "-o", out.toString(), "--teacher", corrupt.toString(), "--data", data),
                "teacher " + corrupt + ": not a valid ONNX model");
        oneLine(CliTest.bantam("fine-tune", corrupt.toString(), "-o", out.toString(), "--data", data),
                "not a valid ONNX model");
        oneLine(CliTest.bantam("fine-tune", tiny, "-o", out.toString(), "--data", "synthetic:64"), "needs labels");
        oneLine(CliTest.bantam("fine-tune", tiny, "-o", out.toString(), "--data", data, "--resume"),
                "--resume needs --checkpoint");
        oneLine(CliTest.bantam("fine-tune", tiny, "-o", out.toString(), "--data", data, "--optimizer", "lion"),
                "--optimizer must be sgd, adamw, not 'lion'");
        oneLine(CliTest.bantam("fine-tune", tiny, "-o", out.toString(), "--data", data, "--lr", "0"),
                "learning rate must be in (0, 100)");
        Path convT = dir.resolve("control-flow.onnx");
        ModelIO.save(Graphs.controlFlow(), convT);
        oneLine(CliTest.bantam("distill", convT.toString(), "-o", out.toString(), "--teacher", convT.toString(),
                "--alpha", "1", "--data", "synthetic:8"), "no translation for If (1 node), Loop (1 node)");
        assertFalse(Files.exists(out), "nothing written");
    }

    private static void oneLine(CliTest.Run r, String expected) {
        assertTrue(r.code() != 0, r.out());
        assertTrue(r.err().contains(expected), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
