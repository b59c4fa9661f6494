package dev.bantam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bantam.onnx.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bantam eval and bench as a user runs them: tables, JSON, a self-contained HTML report, one-line errors. */
class EvalCliTest {

    @TempDir
    Path dir;

    @Test
    void evalWritesTableJsonAndHtml() throws Exception {
        TestData.fashionMnist();
        Path json = dir.resolve("r.json");
        Path html = dir.resolve("r.html");
        CliTest.Run r = CliTest.bantam("eval", "--quiet", "--model", TestData.repoModel("fmnist/tiny.onnx").toString(),
                "--reference", TestData.repoModel("fmnist/cnn.onnx").toString(), "--data", "fmnist,limit=2000",
                "--json", json.toString(), "--html", html.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("top-1 agreement"), r.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals("cnn", j.path("models").get(0).path("name").asText());
        assertEquals(2000, j.path("models").get(1).path("accuracy").path("items").asInt());
        assertTrue(j.path("models").get(1).path("fidelity").get(0).path("top1Agreement").asDouble() > 0.8);
        String page = Files.readString(html);
        assertTrue(page.contains("<svg") && page.contains("Error distribution") && page.contains("tiny"));
        assertFalse(page.matches("(?s).*(src|href)=['\"]?https?:.*"), "nothing loaded from the network");
    }

    /**
     * The same file given twice measured 249.6 vs 506.4 MiB: the second session was charged for the first, and
     * the first for ONNX Runtime's one-time work. eval runs in a fresh child JVM, as a user's does.
     */
    @Test
    void theSameModelTwiceReportsTheSameSessionMemory() throws Exception {
        Path minilm = TestData.classpathModel("all-minilm-l6-v2.onnx", dir);
        Path json = dir.resolve("m.json");
        CliTest.Run r = CliTest.bantam("eval", "--quiet", "--model", minilm.toString(), "--reference", minilm.toString(),
                "--data", "synthetic:16,dims=sequence=64", "--task", "raw", "--batch", "8", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode models = new ObjectMapper().readTree(json.toFile()).path("models");
        long a = models.get(0).path("memoryBytes").asLong();
        long b = models.get(1).path("memoryBytes").asLong();
        assertTrue(a > 20 << 20 && b > 20 << 20, "MiniLM's weights alone are 86 MiB: " + a + " " + b);
        assertTrue(Math.abs(a - b) <= 0.1 * Math.max(a, b), "session memory " + a / 1048576.0 + " vs " + b / 1048576.0
                + " MiB");
    }

    /** bench --duration: latency per second for every model, drift first against last window, memory growth. */
    @Test
    void benchDurationReportsDriftAndMemoryGrowth() throws Exception {
        Path json = dir.resolve("s.json");
        CliTest.Run r = CliTest.bantam("bench", "--quiet", TestData.repoModel("fmnist/cnn.onnx").toString(),
                TestData.repoModel("fmnist/tiny.onnx").toString(), "--batch", "4", "--duration", "4", "--json",
                json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("stability over 4 s (first against last 1 s"), r.out());
        assertTrue(r.out().contains("resident memory "), r.out());
        JsonNode s = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, s.path("models").size(), "the bench results stay where they were");
        JsonNode st = s.path("stability");
        assertEquals(4, st.path("seconds").asInt());
        for (JsonNode m : st.path("models")) {
            assertEquals(4, m.path("secondMs").size());
            assertTrue(m.path("runs").asLong() >= 4 && m.path("firstMs").asDouble() > 0, m.toString());
            assertEquals((m.path("lastMs").asDouble() / m.path("firstMs").asDouble() - 1) * 100,
                    m.path("driftPercent").asDouble(), 1e-9);
        }
        assertTrue(st.path("rssEndMiB").asDouble() > 0 && st.path("rssPeakMiB").asDouble() >= st.path("rssEndMiB").asDouble());
        CliTest.Run bad = CliTest.bantam("bench", TestData.repoModel("fmnist/cnn.onnx").toString(), "--duration", "2");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("--duration must be at least 4 seconds"), bad.err());
    }

    /** eval --robustness: every perturbation that fits an image model, three strengths, both models side by side. */
    @Test
    void robustnessComparesTheModelsUnderShiftedData() throws Exception {
        TestData.fashionMnist();
        Path json = dir.resolve("rob.json");
        String cnn = TestData.repoModel("fmnist/cnn.onnx").toString();
        CliTest.Run r = CliTest.bantam("eval", "--quiet", "--model", TestData.repoModel("fmnist/tiny.onnx").toString(),
                "--reference", cnn, "--data", "fmnist:,limit=200", "--robustness", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("robustness (top-1; change from clean in points):"), r.out());
        JsonNode rows = new ObjectMapper().readTree(json.toFile()).path("robustness").path("rows");
        assertEquals(10, rows.size(), "clean, then noise, brightness and blur at strengths 1 to 3");
        assertEquals("clean", rows.get(0).path("perturbation").asText());
        assertEquals("blur:3", rows.get(9).path("perturbation").asText());
        JsonNode clean = rows.get(0).path("metric");
        assertTrue(rows.get(3).path("metric").get(0).asDouble() < clean.get(0).asDouble(), "strong noise costs top-1");
        CliTest.Run unlabeled = CliTest.bantam("eval", "--quiet", "--model", cnn, "--reference", cnn, "--data",
                "synthetic:8", "--robustness");
        assertEquals(1, unlabeled.code());
        assertTrue(unlabeled.err().contains("robustness compares a task metric: it needs labeled data"), unlabeled.err());
    }

    @Test
    void benchComparesModelsSideBySide() throws Exception {
        Path json = dir.resolve("b.json");
        CliTest.Run r = CliTest.bantam("bench", "--quiet", TestData.repoModel("fmnist/cnn.onnx").toString(),
                TestData.repoModel("fmnist/tiny.onnx").toString(), "--batch", "8", "--rounds", "2", "--iterations", "3",
                "--warmup", "1", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("speedup"), r.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(1.0, j.path("models").get(0).path("speedup").asDouble(), 1e-12);
        assertEquals(2, j.path("models").get(1).path("roundMediansMs").size());
    }

    @Test
    void badDataIsOneLine() throws Exception {
        CliTest.Run r = CliTest.bantam("eval", "--quiet", "--model", TestData.repoModel("fmnist/cnn.onnx").toString(),
                "--data", "idx:" + dir.resolve("missing-images-idx3-ubyte.gz"));
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("does not exist"), r.err());
        CliTest.Run t = CliTest.bantam("eval", "--quiet", "--model", TestData.repoModel("fmnist/cnn.onnx").toString(),
                "--data", "synthetic:4", "--task", "sort");
        assertEquals(1, t.code());
        assertTrue(t.err().contains("--task must be classify, embed, raw, sequence or map"), t.err());
    }
}
