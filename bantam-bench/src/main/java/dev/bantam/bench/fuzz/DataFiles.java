package dev.bantam.bench.fuzz;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/** Valid small data files of each kind a data spec reads: .npy/.npz, IDX (gzipped), PNG, text, tokenizer.json. */
final class DataFiles {

    static final String TOKENIZER = "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[],"
            + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},\"post_processor\":null,\"decoder\":null,"
            + "\"model\":{\"type\":\"WordLevel\",\"vocab\":{\"[UNK]\":0,\"hello\":1,\"world\":2,\"spam\":3},"
            + "\"unk_token\":\"[UNK]\"}}";

    private DataFiles() {
    }

    /** A version 1.0 .npy of the given descr ('&lt;f4', '&lt;i8', ...) and shape, filled with small values. */
    static byte[] npy(String descr, int... shape) {
        StringBuilder s = new StringBuilder();
        long n = 1;
        for (int d : shape) {
            s.append(d).append(", ");
            n *= d;
        }
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + s + "), }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        int width = Integer.parseInt(descr.substring(2));
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + (int) n * width).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (long i = 0; i < n; i++) {
            if (descr.charAt(1) == 'f' && width == 4) {
                b.putFloat(i % 7 / 7f);
            } else if (width == 8) {
                b.putLong(i % 3);
            } else {
                b.put(new byte[width]);
            }
        }
        return b.array();
    }

    static byte[] npz(String name, byte[] npy) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(o)) {
            z.putNextEntry(new ZipEntry(name + ".npy"));
            z.write(npy);
            z.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return o.toByteArray();
    }

    /** Gzipped IDX images (magic 0x803) of {@code count} images of rows x cols. */
    static byte[] idxImages(int count, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols).putInt(0x803).putInt(count).putInt(rows)
                .putInt(cols);
        return gzip(b.array());
    }

    static byte[] idxLabels(int count) {
        ByteBuffer b = ByteBuffer.allocate(8 + count).putInt(0x801).putInt(count);
        for (int i = 0; i < count; i++) {
            b.put((byte) (i % 10));
        }
        return gzip(b.array());
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(o)) {
            z.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return o.toByteArray();
    }

    static byte[] png(int w, int h, boolean color) {
        BufferedImage img = new BufferedImage(w, h, color ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        img.setRGB(0, 0, 0xFFFFFF);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return o.toByteArray();
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
