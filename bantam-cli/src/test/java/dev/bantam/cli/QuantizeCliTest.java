package dev.bantam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizeCliTest {

    @TempDir
    Path dir;

    @Test
    void quantizesMiniLmBelowThePythonQuantizersSize() throws Exception {
        Path f = TestData.classpathModel("all-minilm-l6-v2.onnx", dir);
        Path q = dir.resolve("q.onnx");
        CliTest.Run r = CliTest.bantam("quantize", f.toString(), "-o", q.toString(), "--json", dir.resolve("r.json").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("quantized 38 weights"), r.out());
        assertTrue(Files.size(q) <= Files.size(TestData.classpathModel("all-minilm-l6-v2-q.onnx", dir)), "no larger than the peer");
        assertTrue(Files.readString(dir.resolve("r.json")).contains("sqnrDb"));
    }

    @Test
    void refusesQuantizedInputAndBadStaticOptions() throws Exception {
        Path peer = TestData.classpathModel("all-minilm-l6-v2-q.onnx", dir);
        CliTest.Run r = CliTest.bantam("quantize", peer.toString(), "-o", dir.resolve("x.onnx").toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("already quantized"), r.err());
        String cnn = TestData.repoModel("fmnist/cnn.onnx").toString();
        String[][] bad = {
            {"--mode", "static"},
            {"--mode", "static", "--calibration-data", "fmnist:,split=train", "--calibration", "median"},
            {"--mode", "static", "--calibration-data", "fmnist:,split=valid"},
            {"--mode", "static", "--calibration-data", "fmnist:,split=train", "--format", "qlinear"},
            {"--mode", "static", "--calibration-data", "fmnist:,split=train", "--reduce-range", "--full-range"},
            {"--mode", "dynamic", "--format", "qoperator"},
            {"--mode", "static", "--calibration-data", "fmnist:,split=train", "--op-types", "Softmax"},
            {"--mode", "static", "--calibration-data", "npy:" + dir.resolve("absent.npy")},
            {"--mode", "static", "--calibration-data", "text:" + dir + ",tokenizer=" + dir.resolve("absent.json")},
        };
        for (String[] args : bad) {
            java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("quantize", cnn, "-o",
                    dir.resolve("y.onnx").toString()));
            a.addAll(java.util.List.of(args));
            CliTest.Run s = CliTest.bantam(a.toArray(String[]::new));
            assertTrue(s.code() == 1 || s.code() == 2, String.join(" ", args) + ": " + s.code());
            assertEquals(1, s.err().lines().filter(l -> !l.isBlank()).count(), String.join(" ", args) + ": " + s.err());
            assertTrue(Files.notExists(dir.resolve("y.onnx")), "no output after an error");
        }
    }

    @Test
    void staticModeCalibratesAndWritesAModelOnnxRuntimeRuns() throws Exception {
        Path q = dir.resolve("cnn-int8.onnx");
        Path json = dir.resolve("cnn-int8.json");
        CliTest.Run r = CliTest.bantam("quantize", TestData.repoModel("fmnist/cnn.onnx").toString(), "-o", q.toString(),
                "--mode", "static", "--calibration-data", "fmnist:,split=train,limit=600", "--format", "qoperator",
                "--allow-slower", "--json", json.toString(), "--html", dir.resolve("report.html").toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("quantized 4 weights and"), r.out());
        // 128 held out: enough for the default 1% budget (with 32 the guard would warn that it cannot show it)
        assertTrue(!r.out().contains("warning: quantize-static"), "real data, every tensor well kept\n" + r.out());
        String report = Files.readString(json);
        assertTrue(report.contains("\"kind\" : \"activation\"") || report.contains("\"kind\":\"activation\""), report);
        assertTrue(report.contains("clippedFraction"));
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("<svg") && html.contains("<rect") && html.contains("activation"), "SQNR bars plotted");
        CliTest.Run e = CliTest.bantam("eval", "--quiet", "--model", q.toString(), "--data", "fmnist:,limit=500");
        assertEquals(0, e.code(), e.err());
        CliTest.Run i = CliTest.bantam("inspect", q.toString());
        assertTrue(i.out().contains("QLinearConv 2"), i.out());
    }

    /** The trap: a run that exits 0 and prints a size, with the trouble deep in the per-tensor report. */
    @Test
    void warnsOfSyntheticCalibrationAndOfTensorsThatKeptLittleSignal() throws Exception {
        Path q = dir.resolve("ocr-int8.onnx");
        Path json = dir.resolve("ocr.json");
        CliTest.Run r = CliTest.bantam("quantize", TestData.repoModel("ocr-cls.onnx").toString(), "-o", q.toString(),
                "--mode", "static", "--calibration-data", "synthetic:16", "--allow-slower", "--json", json.toString(),
                "--quiet"); // the warnings are checked, not the speed (int8 runs this classifier at 0.6x)
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("warning: quantize-static was calibrated on synthetic data (synthetic:16)"), r.out());
        assertTrue(Files.readString(json).contains("calibrated on synthetic data"), "the JSON report has the warning");
        CliTest.Run e = CliTest.bantam("eval", "--quiet", "--model", q.toString(), "--reference",
                TestData.repoModel("ocr-cls.onnx").toString(), "--data", "synthetic:8");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("warning: evaluated on synthetic data"), e.out());

        Path minilm = TestData.classpathModel("all-minilm-l6-v2.onnx", dir);
        Path texts = Files.createDirectories(dir.resolve("texts"));
        for (int i = 0; i < 24; i++) {
            Files.writeString(texts.resolve(i + ".txt"), "Message " + i + ": the meeting moved to room " + (i * 7 % 13)
                    + "; bring the quarterly figures and the signed contract, or call the front desk before noon.");
        }
        CliTest.Run m = CliTest.bantam("quantize", minilm.toString(), "-o", dir.resolve("m8.onnx").toString(), "--mode",
                "static", "--calibration-data", "text:" + texts + ",tokenizer="
                        + TestData.classpathModel("all-minilm-l6-v2-tokenizer.json", dir) + ",maxlen=64", "--quiet",
                "--no-guard", "--allow-slower"); // a guard that holds measured the output itself: no warning then
        assertEquals(0, m.code(), m.err());
        assertTrue(m.out().lines().anyMatch(l -> l.startsWith("warning: quantize-static: ")
                && l.contains("kept less than 15 dB SQNR, the worst ")), m.out());
    }

    /** With --allow-slower, static INT8 of the tiny model is smaller and slower (int8 kernels lose at 8 channels): say so. */
    @Test
    void saysWhenTheOutputIsSlowerThanTheInput() throws Exception {
        Path json = dir.resolve("tiny.json");
        CliTest.Run r = CliTest.bantam("quantize", TestData.repoModel("fmnist/tiny.onnx").toString(), "-o",
                dir.resolve("tiny-int8.onnx").toString(), "--mode", "static", "--calibration-data",
                "fmnist:,split=train,limit=64", "--json", json.toString(), "--quiet", "--allow-slower");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("speed: ") && r.out().contains("x the input at batch 32"), r.out());
        assertTrue(r.out().contains("warning: the output is slower than the input: "), r.out());
        var speed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).path("speed");
        assertTrue(speed.path("speedup").asDouble() < 0.97 && speed.path("rounds").asInt() == 7, speed.toString());

        CliTest.Run off = CliTest.bantam("quantize", TestData.repoModel("fmnist/tiny.onnx").toString(), "-o",
                dir.resolve("tiny-int8-b.onnx").toString(), "--mode", "static", "--calibration-data",
                "fmnist:,split=train,limit=64", "--no-speed-check", "--quiet", "--allow-slower");
        assertEquals(0, off.code(), off.err());
        assertTrue(!off.out().contains("speed: ") && !off.out().contains("slower"), off.out());
        assertEquals(-1, java.util.Arrays.mismatch(Files.readAllBytes(dir.resolve("tiny-int8.onnx")),
                Files.readAllBytes(dir.resolve("tiny-int8-b.onnx"))), "the check never changes the model written");
    }

    @Test
    void refusesASpeedBatchBelowOneBeforeDoingAnyWork() throws Exception {
        Path out = dir.resolve("never.onnx");
        CliTest.Run r = CliTest.bantam("quantize", TestData.repoModel("fmnist/tiny.onnx").toString(), "-o",
                out.toString(), "--mode", "static", "--calibration-data", "fmnist:,split=train,limit=64",
                "--speed-batch", "0");
        assertEquals(1, r.code(), "a value out of range is bad input, like --bits 5: " + r.out() + r.err());
        assertTrue(r.err().contains("--speed-batch must be at least 1, not 0"), r.err());
        assertTrue(!r.err().contains("\tat ") && !Files.exists(out), r.err());
    }

    /**
     * The accuracy guard from the command line: a budget the fully quantized model breaks, and what it prints. The
     * speed guard is off: with half of resnet's groups in float the mix may time slower than float on a loaded
     * machine, and it would refuse the model.
     */
    @Test
    void aTightBudgetKeepsTheMostSensitiveGroupsInFloatAndSaysSo() throws Exception {
        Path out = dir.resolve("resnet-guarded.onnx");
        Path json = dir.resolve("guard.json");
        Path html = dir.resolve("guard.html");
        CliTest.Run r = CliTest.bantam("quantize", TestData.repoModel("fmnist/resnet.onnx").toString(), "-o",
                out.toString(), "--mode", "static", "--calibration-data", "fmnist:,split=train,limit=256",
                "--min-fidelity", "0.99995", "--guard-items", "64", "--no-speed-check", "--allow-slower",
                "--json", json.toString(),
                "--html", html.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        var guard = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).path("compression")
                .path("steps").get(0).path("report").path("guard");
        assertTrue(guard.path("holds").asBoolean() && guard.path("keptFloat").size() > 0, guard.toString());
        assertTrue(guard.path("unguarded").path("meanCosine").asDouble() < 0.99995, guard.toString());
        assertEquals(64, guard.path("result").path("items").asInt());
        assertTrue(r.out().contains("warning: quantize-static: the accuracy budget (mean cosine >= 0.99995) is finer "
                + "than 64 held-out items can show"), r.out());
        assertTrue(r.out().contains("accuracy guard (mean cosine >= 0.99995) on 64 held-out items:")
                && r.out().contains(guard.path("keptFloat").size() + " kept in float (+"), r.out());
        String page = Files.readString(html);
        assertTrue(page.contains("Sensitivity (most sensitive first)") && page.contains("<svg"), "HTML plots sensitivity");

        CliTest.Run both = CliTest.bantam("quantize", TestData.repoModel("fmnist/tiny.onnx").toString(), "-o",
                dir.resolve("x.onnx").toString(), "--mode", "static", "--calibration-data", "fmnist:,split=train,limit=64",
                "--no-guard", "--min-fidelity", "0.9");
        assertEquals(1, both.code());
        assertTrue(both.err().contains("--no-guard contradicts --min-fidelity"), both.err());
        CliTest.Run dynamic = CliTest.bantam("quantize", TestData.repoModel("fmnist/tiny.onnx").toString(), "-o",
                dir.resolve("y.onnx").toString(), "--min-fidelity", "0.9");
        assertEquals(1, dynamic.code());
        assertTrue(dynamic.err().contains("--min-fidelity applies to --mode static only"), dynamic.err());
    }

    /**
     * The speed guard never writes a model it measured slower than float: on the tiny model (ONNX Runtime's int8
     * kernels run it at a quarter to a half of float's speed at batch 64) it either keeps the few groups that do
     * not slow it down, or refuses and writes nothing.
     */
    @Test
    void theSpeedGuardWritesNothingItMeasuredSlower() throws Exception {
        Path out = dir.resolve("tiny-guarded.onnx");
        Path json = dir.resolve("tiny-guarded.json");
        CliTest.Run r = CliTest.bantam("quantize", TestData.repoModel("fmnist/tiny.onnx").toString(), "-o",
                out.toString(), "--mode", "static", "--calibration-data", "fmnist:,split=train,limit=256",
                "--speed-batch", "64", "--no-speed-check", "--json", json.toString(), "--quiet");
        if (r.code() == 1) {
            assertTrue(r.err().startsWith("bantam: static INT8 does not make this model faster: ")
                    && r.err().contains("at batch 64") && r.err().contains("--allow-slower"), r.err());
            assertTrue(!Files.exists(out) && r.err().lines().count() == 1, r.err());
            return;
        }
        assertEquals(0, r.code(), r.err());
        var s = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).path("compression")
                .path("steps").get(0).path("report").path("speedGuard");
        assertEquals(64, s.path("batch").asInt());
        assertTrue(s.path("floatMs").asDouble() / s.path("resultMs").asDouble() >= 0.97, s.toString());
        assertTrue(s.path("allMs").asDouble() > s.path("resultMs").asDouble(), "int8 everywhere was slower: " + s);
        assertTrue(s.path("keptFloat").size() > 0 && r.out().contains("faster in float"), r.out());
    }
}
