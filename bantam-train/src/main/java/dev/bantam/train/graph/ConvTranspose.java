package dev.bantam.train.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * ConvTranspose as an ordinary convolution, since the engine's deconvolution is unavailable: zeros inserted
 * between input pixels (stride − 1 of them), the input padded by dilation·(kernel − 1) − pad on each side (plus
 * output_padding at the end; negative amounts crop), then a stride-1 convolution with the kernel flipped in
 * space and its two channel axes swapped, group by group. Output shapes given by {@code output_shape} are
 * refused; 2-D only.
 */
final class ConvTranspose {

    private ConvTranspose() {
    }

    static List<NDArray> apply(Kernel.Call c) {
        NDArray x = c.in(0);
        NDArray w = c.in(1);
        if (w.getShape().dimension() != 4) {
            throw c.unsupported("a " + (w.getShape().dimension() - 2) + "-D ConvTranspose (2-D only)");
        }
        if (c.intsAttr("output_shape") != null || !"NOTSET".equals(c.stringAttr("auto_pad", "NOTSET"))) {
            throw c.unsupported("output_shape or auto_pad (give pads)");
        }
        long[] k = {w.getShape().get(2), w.getShape().get(3)};
        long[] strides = orDefault(c.intsAttr("strides"), 1);
        long[] dil = orDefault(c.intsAttr("dilations"), 1);
        long[] pads = c.intsAttr("pads") == null ? new long[4] : c.intsAttr("pads");
        long[] outPad = orDefault(c.intsAttr("output_padding"), 0);
        int group = (int) c.intAttr("group", 1);
        NDArray up = dilate(x, strides);
        long[] torchPads = new long[4];
        for (int i = 0; i < 2; i++) {
            int axis = 1 - i;
            long full = dil[axis] * (k[axis] - 1);
            torchPads[2 * i] = full - pads[axis];
            torchPads[2 * i + 1] = full - pads[axis + 2] + outPad[axis];
        }
        up = up.pad(new Shape(torchPads), 0);
        long inPerGroup = w.getShape().get(0) / group;
        List<NDArray> outs = new ArrayList<>();
        for (int g = 0; g < group; g++) {
            NDArray wg = group == 1 ? w : w.get(new NDIndex(g * inPerGroup + ":" + (g + 1) * inPerGroup));
            NDArray kernel = wg.flip(2, 3).transpose(1, 0, 2, 3);
            NDArray xg = group == 1 ? up : up.get(new NDIndex(":, " + g * inPerGroup + ":" + (g + 1) * inPerGroup));
            outs.add(xg.getNDArrayInternal().convolution(xg, kernel, null, new Shape(1, 1), new Shape(0, 0),
                    new Shape(dil), 1).head());
        }
        NDArray y = outs.size() == 1 ? outs.get(0) : NDArrays.concat(new NDList(outs), 1);
        NDArray b = c.in(2);
        return List.of(b == null ? y : y.add(b.reshape(1, -1, 1, 1)));
    }

    /** Zeros between the pixels of [N, C, H, W]: stride s gives (H − 1)·s + 1 rows. */
    private static NDArray dilate(NDArray x, long[] s) {
        if (s[0] == 1 && s[1] == 1) {
            return x;
        }
        Shape d = x.getShape();
        NDArray y = x.reshape(d.get(0), d.get(1), d.get(2), 1, d.get(3), 1)
                .pad(new Shape(0, s[1] - 1, 0, 0, 0, s[0] - 1), 0)
                .reshape(d.get(0), d.get(1), d.get(2) * s[0], d.get(3) * s[1]);
        return y.get(new NDIndex(":, :, :" + ((d.get(2) - 1) * s[0] + 1) + ", :" + ((d.get(3) - 1) * s[1] + 1)));
    }

    private static long[] orDefault(long[] v, long dflt) {
        return v != null ? v : new long[] {dflt, dflt};
    }
}
