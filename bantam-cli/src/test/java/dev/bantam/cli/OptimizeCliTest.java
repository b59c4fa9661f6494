package dev.bantam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.io.Provenance;
import dev.bantam.onnx.testing.TestData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizeCliTest {

    @TempDir
    Path dir;

    @Test
    void optimizesTheOcrModelAndRecordsProvenance() throws Exception {
        Path out = dir.resolve("ocr.onnx");
        CliTest.Run r = CliTest.bantam("optimize", TestData.repoModel("ocr-cls.onnx").toString(), "-o", out.toString(),
                "--level", "extended");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("fold-batch-norm: 35 rewrites"), r.out());
        assertTrue(r.out().contains("nodes 471 -> "), r.out());
        var m = ModelIO.load(out);
        assertTrue(m.metadata().stream().anyMatch(kv -> kv.key().equals(Provenance.STEPS) && kv.value().equals("optimize")));
        assertTrue(m.metadata().stream().anyMatch(kv -> kv.key().equals("bantam.recipe")
                && kv.value().contains("{\"optimize\":{\"level\":\"extended\"")), m.metadata().toString());
        assertTrue(m.metadata().stream().anyMatch(kv -> kv.key().equals(Provenance.INPUT_SHA256) && kv.value().length() == 64));
    }

    @Test
    void unknownPassAndLevelAreOneLine() {
        CliTest.Run r = CliTest.bantam("optimize", TestData.repoModel("fmnist/tiny.onnx").toString(), "-o",
                dir.resolve("x.onnx").toString(), "--passes", "fold-everything");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("unknown pass 'fold-everything'; passes: shape-inference, constant-to-initializer"), r.err());
        CliTest.Run l = CliTest.bantam("optimize", TestData.repoModel("fmnist/tiny.onnx").toString(), "-o",
                dir.resolve("x.onnx").toString(), "--level", "max");
        assertEquals(1, l.code());
        assertEquals(1, l.err().lines().count());
    }
}
