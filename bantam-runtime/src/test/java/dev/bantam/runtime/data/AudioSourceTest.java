package dev.bantam.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.runtime.DataException;
import dev.bantam.runtime.InputInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WAV files cut into chunks: formats, channels, and one-line refusals. */
class AudioSourceTest {

    private static final InputInfo INPUT = new InputInfo("input", DataType.FLOAT, new long[] {-1, -1});

    @TempDir
    Path dir;

    @Test
    void stereoPcm16AndFloat32GiveTheSameChunks() throws Exception {
        short[] left = {0, 16384, -16384, 32767, 8192, -8192, 100, -100, 0};
        short[] right = {0, 16384, 16384, -32768, 8192, 8192, 100, 100, 0};
        ByteBuffer pcm = ByteBuffer.allocate(left.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer flt = ByteBuffer.allocate(left.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < left.length; i++) {
            pcm.putShort(left[i]).putShort(right[i]);
            flt.putFloat((left[i] + right[i]) / 2f / 32768f);
        }
        Path a = Files.write(dir.resolve("a.wav"), wav(1, 2, 16000, 16, pcm.array()));
        Path b = Files.write(dir.resolve("b.wav"), wav(3, 1, 16000, 32, flt.array()));
        DataSource sa = DataSpec.open("audio:" + a + ",chunk=4,rate=16000", null, java.util.List.of(INPUT));
        DataSource sb = DataSpec.open("audio:" + b + ",chunk=4", null, java.util.List.of(INPUT));
        assertEquals(2, sa.size(), "9 samples make two chunks of 4; the partial one is dropped");
        Batch ba = sa.batch(0, 2);
        assertArrayEquals(new long[] {2, 4}, ba.feeds().get("input").dims());
        assertArrayEquals(sb.batch(0, 2).feeds().get("input").toFloatArray(), ba.feeds().get("input").toFloatArray(), 1e-6f);
        assertEquals(0.5f, ba.feeds().get("input").toFloatArray()[1], 1e-6f, "both channels at half scale");
    }

    @Test
    void badAudioIsOneLine() throws Exception {
        Path text = Files.writeString(dir.resolve("t.wav"), "not audio");
        Path rate = Files.write(dir.resolve("r.wav"), wav(1, 1, 22050, 16, new byte[64]));
        Path mulaw = Files.write(dir.resolve("m.wav"), wav(7, 1, 8000, 8, new byte[64]));
        String[][] cases = {
                {"audio:" + text, "not a WAV file (no RIFF/WAVE header)"},
                {"audio:" + rate + ",chunk=4,rate=16000", "recorded at 22050 Hz, the spec asks for 16000 Hz (resample it first, e.g. sox IN -r 16000 OUT.wav)"},
                {"audio:" + mulaw, "WAV format 7 with 8-bit samples is not supported"},
                {"audio:" + rate + ",chunk=0", "chunk=0 is out of range"},
                {"audio:" + dir.resolve("none.wav"), "does not exist"},
        };
        for (String[] c : cases) {
            DataException e = assertThrows(DataException.class, () -> DataSpec.open(c[0], null, java.util.List.of(INPUT)));
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), "'" + e.getMessage() + "' should say '" + c[1] + "'");
        }
    }

    private static byte[] wav(int format, int channels, int rate, int bits, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(44 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + data.length).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) format).putShort((short) channels).putInt(rate).putInt(rate * channels * bits / 8)
                .putShort((short) (channels * bits / 8)).putShort((short) bits).put("data".getBytes()).putInt(data.length)
                .put(data);
        return b.array();
    }
}
