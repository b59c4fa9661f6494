package dev.bantam.onnx.testing;

import dev.bantam.onnx.ir.Tensor;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.zip.GZIPInputStream;

/** Reads the first images of the Fashion-MNIST test set as a float [n,1,28,28] tensor scaled to [0,1]. */
public final class FashionMnist {

    private FashionMnist() {
    }

    public static Tensor testImages(String name, int n) throws IOException {
        var file = TestData.fashionMnist().resolve("t10k-images-idx3-ubyte.gz");
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new GZIPInputStream(raw))) {
            if (in.readInt() != 2051) {
                throw new IOException(file + " is not an IDX image file");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (n > count || rows != 28 || cols != 28) {
                throw new IOException(file + ": unexpected layout " + count + "x" + rows + "x" + cols);
            }
            byte[] px = new byte[n * 28 * 28];
            in.readFully(px);
            float[] f = new float[px.length];
            for (int i = 0; i < px.length; i++) {
                f[i] = (px[i] & 0xff) / 255f;
            }
            return Tensor.ofFloats(name, f, n, 1, 28, 28);
        }
    }
}
