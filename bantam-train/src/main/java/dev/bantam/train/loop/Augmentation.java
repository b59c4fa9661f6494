package dev.bantam.train.loop;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Tensor;
import java.util.SplittableRandom;

/**
 * Image augmentation on [N, C, H, W] float inputs: each item is flipped horizontally with probability 1/2 and
 * shifted by up to two pixels in each direction (the uncovered border becomes zero). Other inputs pass
 * unchanged. Seeded by the caller, so a run is repeatable.
 */
final class Augmentation {

    private Augmentation() {
    }

    static Tensor flipShift(Tensor t, SplittableRandom rng) {
        if (t.dataType() != DataType.FLOAT || t.rank() != 4) {
            return t;
        }
        long[] d = t.dims();
        int n = (int) d[0];
        int c = (int) d[1];
        int h = (int) d[2];
        int w = (int) d[3];
        float[] src = t.toFloatArray();
        float[] dst = new float[src.length];
        for (int i = 0; i < n; i++) {
            boolean flip = rng.nextBoolean();
            int dy = rng.nextInt(5) - 2;
            int dx = rng.nextInt(5) - 2;
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * h * w;
                for (int y = 0; y < h; y++) {
                    int sy = y - dy;
                    if (sy < 0 || sy >= h) {
                        continue;
                    }
                    for (int x = 0; x < w; x++) {
                        int sx = (flip ? w - 1 - x : x) - dx;
                        if (sx >= 0 && sx < w) {
                            dst[base + y * w + x] = src[base + sy * w + sx];
                        }
                    }
                }
            }
        }
        return Tensor.ofFloats(t.name(), dst, d);
    }
}
