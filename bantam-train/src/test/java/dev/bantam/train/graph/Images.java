package dev.bantam.train.graph;

import dev.bantam.onnx.ir.Tensor;
import java.io.IOException;
import java.util.List;

/** Text lines rendered by ImageMagick with a DejaVu font, as the OCR direction classifier takes them. */
final class Images {

    private static final List<String> LINES = List.of("Invoice 2026-11-29", "Total due: 418.00 EUR",
            "Bantam compresses models", "Fashion and text", "Quick brown fox jumps", "Order no. 77142-B");

    private Images() {
    }

    /** {@code n} lines, every other one upside down, as [n, 3, 48, 192] scaled to [-1, 1]. */
    static Tensor ocrLines(String name, int n) throws IOException, InterruptedException {
        int h = 48;
        int w = 192;
        float[] out = new float[n * 3 * h * w];
        for (int i = 0; i < n; i++) {
            ProcessBuilder pb = new ProcessBuilder("convert", "-size", w + "x" + h, "xc:white", "-font", "DejaVu-Sans",
                    "-pointsize", "20", "-fill", "black", "-annotate", "+4+31", LINES.get(i % LINES.size()),
                    "-rotate", i % 2 == 0 ? "0" : "180", "-depth", "8", "rgb:-");
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            byte[] rgb = p.getInputStream().readAllBytes();
            if (p.waitFor() != 0 || rgb.length != 3 * h * w) {
                throw new IOException("ImageMagick did not render line " + i + " (" + rgb.length + " bytes)");
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < 3; ch++) {
                        float v = (rgb[(y * w + x) * 3 + ch] & 0xff) / 255f;
                        out[((i * 3 + ch) * h + y) * w + x] = (v - 0.5f) / 0.5f;
                    }
                }
            }
        }
        return Tensor.ofFloats(name, out, n, 3, h, w);
    }
}
