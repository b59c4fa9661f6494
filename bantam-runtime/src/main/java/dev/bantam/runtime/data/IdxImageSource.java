package dev.bantam.runtime.data;

import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.DataException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

/**
 * Images and labels in IDX files (MNIST, Fashion-MNIST), gzipped or not, fed as float [n,1,h,w] scaled to
 * [0,1]. Pixels are streamed from the file batch by batch (consecutive batches continue one open stream;
 * any other start re-opens and skips), so memory does not grow with the number of images; the file's
 * length is checked against its header when the source is opened.
 */
public final class IdxImageSource implements DataSource {

    private static final int HEADER = 16;

    private final Path images;
    private DataInputStream stream;
    private int next;
    private final int[] labels;
    private final int count;
    private final int rows;
    private final int cols;
    private final String input;
    private final String description;
    /** The classes' names by label; empty: labels are named by number. */
    private List<String> classNames = List.of();

    private IdxImageSource(Path images, int[] labels, int count, int rows, int cols, String input, String d) {
        this.images = images;
        this.labels = labels;
        this.count = count;
        this.rows = rows;
        this.cols = cols;
        this.input = input;
        this.description = d;
    }

    /**
     * Reads {@code images} and, when not null, {@code labels}; at most {@code limit} items (0: all).
     */
    public static IdxImageSource read(Path images, Path labels, String inputName, int limit) {
        try (DataInputStream in = open(images)) {
            int magic = in.readInt();
            if (magic != 0x803) {
                throw new DataException(images + ": not an IDX image file (magic " + Integer.toHexString(magic) + ")");
            }
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            int count = limit > 0 ? Math.min(limit, n) : n;
            if (rows <= 0 || cols <= 0 || n < 0) {
                throw new DataException(images + ": bad IDX header (" + n + " images of " + rows + "x" + cols + ")");
            }
            in.skipNBytes(Math.multiplyExact((long) count, (long) rows * cols));
            int[] lab = labels == null ? null : readLabels(labels, n, count);
            return new IdxImageSource(images, lab, count, rows, cols, inputName,
                    "IDX images " + images.getFileName() + " (" + count + " of " + n + ", " + rows + "x" + cols + ")");
        } catch (java.io.EOFException e) {
            throw new DataException(images + ": the file ends before the images it announces");
        } catch (IOException e) {
            throw new DataException(images + ": cannot read: " + IoProblem.describe(e), e);
        }
    }

    private static int[] readLabels(Path labels, int images, int count) throws IOException {
        try (DataInputStream in = open(labels)) {
            int magic = in.readInt();
            if (magic != 0x801) {
                throw new DataException(labels + ": not an IDX label file (magic " + Integer.toHexString(magic) + ")");
            }
            int n = in.readInt();
            if (n != images) {
                throw new DataException(labels + ": " + n + " labels for " + images + " images");
            }
            byte[] b = new byte[count];
            in.readFully(b);
            return IntStream.range(0, count).map(i -> b[i] & 0xff).toArray();
        }
    }

    private static DataInputStream open(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw new DataException("data file " + p + " does not exist");
        }
        InputStream raw = Files.newInputStream(p);
        return new DataInputStream(new java.io.BufferedInputStream(
                p.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16));
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public Batch batch(int start, int n) {
        if (start < 0 || n < 0 || start + n > count) {
            throw new IndexOutOfBoundsException("items " + start + ".." + (start + n) + " of " + count);
        }
        int px = rows * cols;
        byte[] pixels = new byte[n * px];
        try {
            if (stream == null || start != next) {
                if (stream != null) {
                    stream.close();
                }
                stream = open(images);
                stream.skipNBytes(HEADER + (long) start * px);
            }
            stream.readFully(pixels);
            next = start + n;
            if (next == count) {
                stream.close();
                stream = null;
            }
        } catch (IOException e) {
            throw new DataException(images + ": cannot read: " + IoProblem.describe(e), e);
        }
        float[] f = new float[n * px];
        for (int i = 0; i < f.length; i++) {
            f[i] = (pixels[i] & 0xff) / 255f;
        }
        int[] lab = labels == null ? null : java.util.Arrays.copyOfRange(labels, start, start + n);
        return new Batch(Map.of(input, Tensor.ofFloats(input, f, n, 1, rows, cols)), lab, n);
    }

    /** This source with its classes named (Fashion-MNIST's, for example); labels past the names go by number. */
    public IdxImageSource named(List<String> names) {
        this.classNames = List.copyOf(names);
        return this;
    }

    @Override
    public List<String> labelNames() {
        if (labels == null) {
            return List.of();
        }
        int max = IntStream.of(labels).max().orElse(-1);
        return IntStream.rangeClosed(0, Math.max(max, 9))
                .mapToObj(i -> i < classNames.size() ? classNames.get(i) : Integer.toString(i)).toList();
    }

    @Override
    public String describe() {
        return description;
    }
}
