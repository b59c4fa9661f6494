package dev.bantam.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.testing.TestData;
import dev.bantam.runtime.DataException;
import dev.bantam.runtime.RuntimeOptions;
import dev.bantam.runtime.eval.EvalConfig;
import dev.bantam.runtime.eval.Evaluator;
import dev.bantam.runtime.eval.Task;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad data is one clear line naming the input and what was expected. */
class BadDataTest {

    @TempDir
    Path dir;

    private static DataException evalFails(String data, Task task) {
        return assertThrows(DataException.class, () -> Evaluator.run(new EvalConfig(TestData.repoModel("fmnist/cnn.onnx"),
                null, data, task, 8, RuntimeOptions.threads(1), 0.7), ProgressListener.NONE));
    }

    private static void oneLine(Exception e, String... parts) {
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should mention '" + p + "'");
        }
    }

    @Test
    void missingDataFile() {
        oneLine(evalFails("idx:" + dir.resolve("nope-images-idx3-ubyte.gz"), Task.RAW), "does not exist");
    }

    @Test
    void labelCountDisagrees() throws IOException {
        Path images = dir.resolve("x-images-idx3-ubyte");
        try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(images))) {
            o.writeInt(0x803);
            o.writeInt(10);
            o.writeInt(28);
            o.writeInt(28);
            o.write(new byte[10 * 784]);
        }
        try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(dir.resolve("x-labels-idx1-ubyte")))) {
            o.writeInt(0x801);
            o.writeInt(9);
            o.write(new byte[9]);
        }
        oneLine(evalFails("idx:" + images, Task.CLASSIFY), "9 labels for 10 images");
    }

    @Test
    void tokenizerOutputsDoNotFitTheModel() throws IOException {
        Path texts = Files.writeString(dir.resolve("t.txt"), "hello world\n");
        Path tok = TestData.classpathModel("all-minilm-l6-v2-tokenizer.json", dir);
        oneLine(evalFails("text:" + texts + ",tokenizer=" + tok, Task.RAW), "input 'input'", "text data provides only");
    }

    @Test
    void inputShapeMismatch() throws IOException {
        Path npy = dir.resolve("x.npy");
        Files.write(npy, npy("<f4", "(4, 1, 28, 27)", new byte[4 * 28 * 27 * 4]));
        oneLine(evalFails("npy:" + npy, Task.RAW), "input 'input'", "expects float[?,1,28,28]", "got float[4,1,28,27]");
    }

    @Test
    void unknownKindAndMissingTokenizer() {
        oneLine(evalFails("parquet:x", Task.RAW), "unknown kind 'parquet'");
        oneLine(evalFails("text:" + dir, Task.RAW), "tokenizer=FILE");
    }

    /** A minimal .npy file. */
    static byte[] npy(String descr, String shape, byte[] data) {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int pad = 16 - (10 + header.length() + 1) % 16;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return b.array();
    }
}
