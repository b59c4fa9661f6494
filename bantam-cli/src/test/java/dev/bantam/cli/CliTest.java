package dev.bantam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import dev.bantam.onnx.testing.CraftedModels;
import dev.bantam.onnx.testing.TestData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user meets it: output, files written, and one-line errors with non-zero exits. */
class CliTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run bantam(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    static Path cnn() {
        return TestData.repoModel("fmnist/cnn.onnx");
    }

    @Test
    void inspectText() {
        Run r = bantam("inspect", cnn().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Opsets      ai.onnx 13"), r.out());
        assertTrue(r.out().contains("input: float[N,1,28,28]"), r.out());
        assertTrue(r.out().contains("Conv 2"), r.out());
        assertTrue(r.out().contains("421,642"), r.out());
        assertTrue(r.out().contains("not quantized"), r.out());
    }

    @Test
    void inspectJson() throws Exception {
        Run r = bantam("inspect", "--json", cnn().toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(2, j.path("opHistogram").path("Conv").asInt());
        assertEquals(421_642, j.path("parameterCount").asLong());
        assertEquals("9.weight", j.path("largestTensors").get(0).path("name").asText());
        assertFalse(j.path("quantization").path("quantized").asBoolean());
        assertEquals(0, j.path("checkErrors").asInt());
    }

    @Test
    void inspectShowsQuantizedModel() throws Exception {
        Path q = TestData.classpathModel("all-minilm-l6-v2-q.onnx", dir);
        Run r = bantam("inspect", q.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("dynamic"), r.out());
        assertTrue(r.out().contains("MatMulInteger"), r.out());
    }

    @Test
    void convertToExternalAndBack() throws Exception {
        Path ext = dir.resolve("ext/cnn.onnx");
        Run r = bantam("convert", cnn().toString(), "-o", ext.toString(), "--external-data", "cnn.weights");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(dir.resolve("ext/cnn.weights")));
        assertTrue(Files.size(ext) < 10_000, "graph only: " + Files.size(ext));
        Run i = bantam("inspect", ext.toString());
        assertTrue(i.out().contains("cnn.weights: 4 tensors"), i.out());
        Path back = dir.resolve("back.onnx");
        assertEquals(0, bantam("convert", ext.toString(), "-o", back.toString(), "--inline").code());
        assertArrayEquals(OnnxSerde.toBytes(ModelIO.load(cnn())), Files.readAllBytes(back));
    }

    @Test
    void convertOverItselfIsRefusedAndLeavesTheOriginalBytesAlone() throws Exception {
        Path p = Files.copy(cnn(), dir.resolve("cnn.onnx"));
        byte[] before = Files.readAllBytes(p);
        Path link = Files.createLink(dir.resolve("orig"), p);
        assertOneLineError(bantam("convert", p.toString(), "-o", p.toString(), "--external-data", "w.bin"),
                "refusing to overwrite the input model");
        assertArrayEquals(before, Files.readAllBytes(link));
        assertArrayEquals(before, Files.readAllBytes(p));
        assertFalse(Files.exists(dir.resolve("w.bin")), "nothing written");
    }

    private void assertOneLineError(Run r, String fragment) {
        assertEquals(1, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("bantam: "), r.err());
        assertTrue(r.err().contains(fragment), "'" + r.err().trim() + "' should mention '" + fragment + "'");
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose");
    }

    @Test
    void badInputsGiveOneLine() throws Exception {
        assertOneLineError(bantam("inspect", dir.resolve("missing.onnx").toString()), "no such file");

        byte[] full = Files.readAllBytes(cnn());
        Path truncated = Files.write(dir.resolve("t.onnx"), Arrays.copyOf(full, full.length - 1000));
        assertOneLineError(bantam("inspect", truncated.toString()), "truncated or corrupt");

        byte[] junk = new byte[10_000];
        new Random(1).nextBytes(junk);
        assertOneLineError(bantam("inspect", Files.write(dir.resolve("r.onnx"), junk).toString()), "not");

        Path sub = Files.createDirectories(dir.resolve("sub"));
        Files.write(dir.resolve("w.bin"), new byte[8]);
        Path dotdot = CraftedModels.write(CraftedModels.withExternalW("../w.bin", 0L, 8L), sub.resolve("a.onnx"));
        assertOneLineError(bantam("convert", dotdot.toString(), "-o", dir.resolve("o.onnx").toString()), "'..'");

        Path abs = CraftedModels.write(CraftedModels.withExternalW(dir.resolve("w.bin").toString(), 0L, 8L),
                dir.resolve("b.onnx"));
        assertOneLineError(bantam("inspect", abs.toString()), "absolute path");

        Path missing = CraftedModels.write(CraftedModels.withExternalW("nothere.bin", 0L, 8L), dir.resolve("c.onnx"));
        assertOneLineError(bantam("inspect", missing.toString()), "does not exist");

        Path offset = CraftedModels.write(CraftedModels.withExternalW("w.bin", 4096L, 8L), dir.resolve("d.onnx"));
        assertOneLineError(bantam("inspect", offset.toString()), "beyond the end");

        Path size = CraftedModels.write(CraftedModels.sizeMismatch(), dir.resolve("e.onnx"));
        assertOneLineError(bantam("inspect", size.toString()), "needs 12 bytes but holds 8");
        assertOneLineError(bantam("convert", size.toString(), "-o", dir.resolve("e2.onnx").toString()), "needs 12");
        assertFalse(Files.exists(dir.resolve("e2.onnx")), "nothing written for an invalid model");

        Path cycle = CraftedModels.write(CraftedModels.cycle(), dir.resolve("f.onnx"));
        assertOneLineError(bantam("inspect", cycle.toString()), "cycle");
    }

    @Test
    void verboseShowsTheStackTrace() throws Exception {
        Path cycle = CraftedModels.write(CraftedModels.cycle(), dir.resolve("f.onnx"));
        Run r = bantam("inspect", "--verbose", cycle.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void wrongUsageExitsTwo() {
        Run r = bantam("convert", cnn().toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required option"), r.err());
        assertEquals(2, bantam("inspect", "--bogus", cnn().toString()).code());
        assertEquals(2, bantam("convert", cnn().toString(), "-o", "x.onnx", "--inline", "--external-data", "w").code());
    }
}
