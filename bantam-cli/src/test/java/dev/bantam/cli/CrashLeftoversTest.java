package dev.bantam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a crash: outputs written since the child started are named; only temporary files it created are removed. */
class CrashLeftoversTest {

    @TempDir
    Path dir;

    @Test
    void newTempsGoOldOnesStay() throws Exception {
        FileTime earlier = FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS));
        Path kept = Files.setLastModifiedTime(Files.writeString(dir.resolve("old.onnx"), "x"), earlier);
        Path oldTemp = Files.setLastModifiedTime(Files.writeString(dir.resolve(".out.onnx123.tmp"), "x"), earlier);
        Path unrelated = Files.writeString(dir.resolve(".other.onnx9.tmp"), "x");
        Instant start = Instant.now();
        Path newTemp = Files.writeString(dir.resolve(".out.onnx456.tmp"), "x");
        Path newDataTemp = Files.writeString(dir.resolve(".out.onnx.data789.tmp"), "x");
        Path json = Files.writeString(dir.resolve("r.json"), "{}");

        CrashLeftovers left = new CrashLeftovers(List.of(dir.resolve("out.onnx"), json, kept, dir.resolve("sub/x.html")), start);
        assertEquals(List.of(json), left.written());
        left.removeTemps();
        assertFalse(Files.exists(newTemp));
        assertFalse(Files.exists(newDataTemp));
        assertTrue(Files.exists(oldTemp), "a temporary file from before the run is not ours");
        assertTrue(Files.exists(unrelated), "nor one beside another file");
    }
}
