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
        assertTrue(Files.readString(dir.resolve("r.json")).contains("weightSqnrDb"));
    }

    @Test
    void refusesQuantizedInputAndUnimplementedModes() throws Exception {
        Path peer = TestData.classpathModel("all-minilm-l6-v2-q.onnx", dir);
        CliTest.Run r = CliTest.bantam("quantize", peer.toString(), "-o", dir.resolve("x.onnx").toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("already quantized"), r.err());
        CliTest.Run s = CliTest.bantam("quantize", TestData.repoModel("fmnist/cnn.onnx").toString(), "-o",
                dir.resolve("y.onnx").toString(), "--mode", "static");
        assertEquals(1, s.code());
        assertTrue(s.err().contains("not implemented yet"), s.err());
    }
}
