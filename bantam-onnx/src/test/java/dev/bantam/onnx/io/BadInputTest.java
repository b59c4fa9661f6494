package dev.bantam.onnx.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.check.ModelCheckException;
import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.testing.CraftedModels;
import dev.bantam.onnx.testing.TestData;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input gives a typed exception with one line that says what and where. */
class BadInputTest {

    @TempDir
    Path dir;

    private static void assertOneLine(Exception e, String... fragments) {
        String m = e.getMessage();
        assertEquals(1, m.lines().count(), "one line: " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "'" + m + "' should mention '" + f + "'");
        }
    }

    @Test
    void truncatedFile() throws Exception {
        byte[] full = Files.readAllBytes(TestData.repoModel("fmnist/tiny.onnx"));
        Path p = dir.resolve("truncated.onnx");
        Files.write(p, Arrays.copyOf(full, full.length / 2));
        var e = assertThrows(ModelFormatException.class, () -> ModelIO.load(p));
        assertOneLine(e, "not a valid ONNX model", "truncated or corrupt");
    }

    @Test
    void randomBytes() throws Exception {
        byte[] junk = new byte[4096];
        new Random(42).nextBytes(junk);
        Path p = dir.resolve("random.onnx");
        Files.write(p, junk);
        var e = assertThrows(ModelFormatException.class, () -> ModelIO.load(p));
        assertOneLine(e, "not");
    }

    @Test
    void emptyFile() throws Exception {
        Path p = Files.write(dir.resolve("empty.onnx"), new byte[0]);
        assertOneLine(assertThrows(ModelFormatException.class, () -> ModelIO.load(p)), "no graph");
    }

    @Test
    void missingFile() {
        assertThrows(NoSuchFileException.class, () -> ModelIO.load(dir.resolve("nope.onnx")));
    }

    @Test
    void externalLocationWithDotDot() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("m"));
        Files.write(dir.resolve("w.bin"), new byte[8]);
        Path p = CraftedModels.write(CraftedModels.withExternalW("../w.bin", 0L, 8L), sub.resolve("m.onnx"));
        assertOneLine(assertThrows(ExternalDataException.class, () -> ModelIO.load(p)), "tensor 'W'", "..");
    }

    @Test
    void externalLocationAbsolute() throws Exception {
        Path w = Files.write(dir.resolve("w.bin"), new byte[8]);
        Path p = CraftedModels.write(CraftedModels.withExternalW(w.toString(), 0L, 8L), dir.resolve("m.onnx"));
        assertOneLine(assertThrows(ExternalDataException.class, () -> ModelIO.load(p)), "tensor 'W'", "absolute");
    }

    @Test
    void externalLocationThroughLink() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("m"));
        Path outside = Files.write(dir.resolve("secret.bin"), new byte[8]);
        Files.createSymbolicLink(sub.resolve("w.bin"), outside);
        Path p = CraftedModels.write(CraftedModels.withExternalW("w.bin", 0L, 8L), sub.resolve("m.onnx"));
        assertOneLine(assertThrows(ExternalDataException.class, () -> ModelIO.load(p)), "link");
    }

    @Test
    void missingExternalFile() throws Exception {
        Path p = CraftedModels.write(CraftedModels.withExternalW("w.bin", 0L, 8L), dir.resolve("m.onnx"));
        assertOneLine(assertThrows(ExternalDataException.class, () -> ModelIO.load(p)), "'w.bin'", "does not exist");
    }

    /** Issue 10 (fuzzing): an external data entry whose value a bit flip removed read "length 'null'". */
    @Test
    void externalEntryWithNoValue() throws Exception {
        Files.write(dir.resolve("w.bin"), new byte[8]);
        var m = CraftedModels.withExternalW("w.bin", 0L, null);
        m.getGraphBuilder().getInitializerBuilder(0).addExternalData(dev.bantam.onnx.ir.serde.proto.Onnx
                .StringStringEntryProto.newBuilder().setKey("length"));
        m.getGraphBuilder().getInitializerBuilder(0).getExternalDataBuilder(2).clearValue();
        Path p = CraftedModels.write(m, dir.resolve("m.onnx"));
        Exception e = assertThrows(ExternalDataException.class, () -> ModelIO.load(p));
        assertOneLine(e, "tensor 'W': external data length has no value");
    }

    @Test
    void offsetBeyondFile() throws Exception {
        Files.write(dir.resolve("w.bin"), new byte[8]);
        Path p = CraftedModels.write(CraftedModels.withExternalW("w.bin", 100L, 8L), dir.resolve("m.onnx"));
        assertOneLine(assertThrows(ExternalDataException.class, () -> ModelIO.load(p)), "offset 100", "beyond");
    }

    @Test
    void lengthPastEndOfFile() throws Exception {
        Files.write(dir.resolve("w.bin"), new byte[8]);
        Path p = CraftedModels.write(CraftedModels.withExternalW("w.bin", 4L, 8L), dir.resolve("m.onnx"));
        assertOneLine(assertThrows(ExternalDataException.class, () -> ModelIO.load(p)), "runs past the end");
    }

    @Test
    void externalLengthDisagreeingWithShapeIsAChecked() throws Exception {
        Files.write(dir.resolve("w.bin"), new byte[16]);
        Path p = CraftedModels.write(CraftedModels.withExternalW("w.bin", 0L, 16L), dir.resolve("m.onnx"));
        var report = ModelChecker.check(ModelIO.load(p));
        var e = assertThrows(ModelCheckException.class, report::requireValid);
        assertOneLine(e, "initializer 'W'", "needs 8 bytes but holds 16");
    }

    @Test
    void tensorSizeDisagreesWithShape() throws Exception {
        Path p = CraftedModels.write(CraftedModels.sizeMismatch(), dir.resolve("m.onnx"));
        var e = assertThrows(ModelCheckException.class, () -> ModelChecker.check(ModelIO.load(p)).requireValid());
        assertOneLine(e, "initializer 'W'", "FLOAT[3] needs 12 bytes but holds 8");
    }

    @Test
    void cycle() throws Exception {
        Path p = CraftedModels.write(CraftedModels.cycle(), dir.resolve("m.onnx"));
        var e = assertThrows(ModelCheckException.class, () -> ModelChecker.check(ModelIO.load(p)).requireValid());
        assertOneLine(e, "cycle", "node '");
    }

    @Test
    void savingOverTheInputIsRefusedAndTheInputIsUntouched() throws Exception {
        Path p = dir.resolve("cnn.onnx");
        Files.copy(TestData.repoModel("fmnist/cnn.onnx"), p);
        byte[] before = Files.readAllBytes(p);
        Path link = dir.resolve("hardlink-to-original");
        Files.createLink(link, p);
        var m = ModelIO.load(p);
        for (Path target : new Path[] {p, link, dir.resolve("sub/../cnn.onnx")}) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> ModelIO.save(m, target, SaveOptions.external("cnn.onnx.data", 1024)));
            assertOneLine(e, "refusing to overwrite the input model");
            assertArrayEquals(before, Files.readAllBytes(p), "the input's bytes must be untouched");
        }
        ModelIO.save(m, dir.resolve("copy.onnx"));
        ModelIO.load(dir.resolve("copy.onnx"));
    }

    @Test
    void refusesToOverwriteExternalDataTheModelReads() throws Exception {
        Files.write(dir.resolve("w.bin"), new byte[8]);
        Path p = CraftedModels.write(CraftedModels.withExternalW("w.bin", 0L, 8L), dir.resolve("m.onnx"));
        var m = ModelIO.load(p);
        var e = assertThrows(IllegalArgumentException.class,
                () -> ModelIO.save(m, dir.resolve("other.onnx"), SaveOptions.external("w.bin", 0)));
        assertOneLine(e, "refusing to overwrite");
        var asModel = assertThrows(IllegalArgumentException.class, () -> ModelIO.save(m, dir.resolve("w.bin")));
        assertOneLine(asModel, "refusing to overwrite " + dir.resolve("w.bin") + ": the model being saved reads");
        assertArrayEquals(new byte[8], Files.readAllBytes(dir.resolve("w.bin")));
    }
}
