package dev.bantam.runtime.data;

import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.DataException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** PNG/JPEG files, one subfolder per class (sorted names are the labels), or a flat folder without labels. */
public final class ImageFolderSource implements DataSource {

    private final List<Path> files;
    private final int[] labels;
    private final List<String> classes;
    private final String input;
    private final ImageOptions options;
    private final Path dir;

    private ImageFolderSource(Path dir, List<Path> files, int[] labels, List<String> classes, String input,
                              ImageOptions options) {
        this.dir = dir;
        this.files = files;
        this.labels = labels;
        this.classes = classes;
        this.input = input;
        this.options = options;
    }

    public static ImageFolderSource of(Path dir, String inputName, ImageOptions options, int limit) {
        if (!Files.isDirectory(dir)) {
            throw new DataException("image folder " + dir + " does not exist");
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> sub = s.filter(Files::isDirectory).sorted().toList();
            List<Path> files = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            List<String> classes = sub.stream().map(p -> p.getFileName().toString()).toList();
            if (sub.isEmpty()) {
                files.addAll(images(dir));
            } else {
                for (int c = 0; c < sub.size(); c++) {
                    for (Path f : images(sub.get(c))) {
                        files.add(f);
                        labels.add(c);
                    }
                }
            }
            if (files.isEmpty()) {
                throw new DataException("image folder " + dir + " has no .png or .jpg files");
            }
            int n = limit > 0 ? Math.min(limit, files.size()) : files.size();
            int[] lab = sub.isEmpty() ? null : labels.subList(0, n).stream().mapToInt(Integer::intValue).toArray();
            return new ImageFolderSource(dir, List.copyOf(files.subList(0, n)), lab, classes, inputName, options);
        } catch (IOException e) {
            throw new DataException(dir + ": cannot list: " + IoProblem.describe(e), e);
        }
    }

    private static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g)$"))
                    .sorted().toList();
        }
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public List<String> labelNames() {
        return labels == null ? List.of() : classes;
    }

    @Override
    public Batch batch(int start, int count) {
        int w = options.width();
        int h = options.height();
        int c = options.channels();
        float[] out = new float[count * c * h * w];
        for (int i = 0; i < count; i++) {
            BufferedImage img = resized(files.get(start + i));
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = img.getRGB(x, y);
                    for (int ch = 0; ch < c; ch++) {
                        int v = c == 1 ? gray(rgb) : (rgb >> (16 - 8 * ch)) & 0xff;
                        float f = (v / 255f - options.mean()[ch]) / options.std()[ch];
                        int idx = options.nchw() ? ((i * c + ch) * h + y) * w + x : ((i * h + y) * w + x) * c + ch;
                        out[idx] = f;
                    }
                }
            }
        }
        long[] dims = options.nchw() ? new long[] {count, c, h, w} : new long[] {count, h, w, c};
        int[] lab = labels == null ? null : java.util.Arrays.copyOfRange(labels, start, start + count);
        return new Batch(Map.of(input, Tensor.ofFloats(input, out, dims)), lab, count);
    }

    private static int gray(int rgb) {
        return Math.round(0.299f * ((rgb >> 16) & 0xff) + 0.587f * ((rgb >> 8) & 0xff) + 0.114f * (rgb & 0xff));
    }

    private BufferedImage resized(Path f) {
        try {
            BufferedImage src = ImageIO.read(f.toFile());
            if (src == null) {
                throw new DataException(f + ": not a readable PNG or JPEG image");
            }
            BufferedImage dst = new BufferedImage(options.width(), options.height(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = dst.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, options.width(), options.height(), null);
            g.dispose();
            return dst;
        } catch (IOException e) {
            throw new DataException(f + ": cannot read: " + IoProblem.describe(e), e);
        }
    }

    @Override
    public String describe() {
        return "images in " + dir + " (" + files.size() + ", " + options.width() + "x" + options.height() + ")";
    }
}
