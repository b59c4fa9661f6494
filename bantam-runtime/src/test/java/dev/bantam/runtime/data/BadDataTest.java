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

    /** Issue 10 (fuzzing): a truncated .npz said "cannot read: null". */
    @Test
    void aTruncatedNpzSaysWhatIsWrong() throws IOException {
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(zipped)) {
            z.putNextEntry(new java.util.zip.ZipEntry("input.npy"));
            z.write(npy("<f4", "(4, 1, 28, 28)", new byte[4 * 28 * 28 * 4]));
            z.closeEntry();
        }
        byte[] whole = zipped.toByteArray();
        Path npz = dir.resolve("x.npz");
        Files.write(npz, java.util.Arrays.copyOf(whole, whole.length - 22 - 55 - 10)); // into the data descriptor
        DataException e = evalFails("npy:" + npz, Task.RAW);
        oneLine(e, npz.toString(), "cannot read: the file ends early (truncated or damaged)");
        assertTrue(!e.getMessage().contains("null"), e.getMessage());
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

    /** Issue 10: unknown keys, bad values and sizes are refused before anything is read or allocated. */
    @Test
    void specKeysAndValuesAreChecked() throws IOException {
        Path images = Files.createDirectories(dir.resolve("imgs"));
        Path texts = Files.writeString(dir.resolve("t.txt"), "hello\n");
        String[][] cases = {
                {"images:" + images + ",size=28x28,channels=1,layout=xyz", "layout=xyz is not one of nchw, nhwc"},
                {"images:" + images + ",size=28x28,colour=red", "unknown key 'colour' for images data"},
                {"images:" + images + ",size=100000x100000,channels=1", "size=100000x100000 is out of range"},
                {"images:" + images + ",size=28,channels=1", "size=28 is not WIDTHxHEIGHT"},
                {"images:" + images + ",size=28x28,channels=1,std=0", "std=0 must be finite and non-zero"},
                {"images:" + images + ",size=28x28,channels=2", "channels=2 is not 1 or 3"},
                {"text:" + texts + ",tokenizer=t.json,maxlen=0", "maxlen=0 is out of range"},
                {"text:" + texts + ",tokenizer=t.json,email=yes", "email=yes is not true or false"},
                {"synthetic:0", "synthetic:0 is out of range"},
                {"synthetic:abc", "synthetic:N needs a whole number of items, got 'abc'"},
                {"synthetic:2,dims=n=-1", "dims n=-1 is out of range"},
                {"synthetic:2,dims=n=99999999999", "dims n=99999999999 is out of range"},
                {"synthetic:2,seed=abc", "seed=abc is not a whole number"},
                {"synthetic:2,limit=-1", "limit=-1 is out of range"},
                {"synthetic:2,seed=1,seed=2", "key 'seed' is given twice"},
                {"synthetic:2,seed=", "key 'seed' has no value"},
                {"fmnist:" + dir + ",split=validation", "split=validation is not one of test, train"},
        };
        for (String[] c : cases) {
            oneLine(evalFails(c[0], Task.RAW), c[1]);
        }
    }

    @Test
    void anEmptyTextFileGivesNoItems() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        Path tok = TestData.classpathModel("all-minilm-l6-v2-tokenizer.json", dir);
        oneLine(evalFails("text:" + empty + ",tokenizer=" + tok, Task.RAW), "gives no items");
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
