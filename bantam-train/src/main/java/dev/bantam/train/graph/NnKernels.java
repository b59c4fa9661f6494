package dev.bantam.train.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;

/** Layers: convolution, pooling, Gemm and MatMul, normalizations, softmax. */
final class NnKernels {

    private NnKernels() {
    }

    static void register(Map<String, Kernel> t) {
        t.put("Conv", NnKernels::conv);
        t.put("ConvTranspose", ConvTranspose::apply);
        t.put("MaxPool", c -> pool(c, true));
        t.put("AveragePool", c -> pool(c, false));
        t.put("GlobalAveragePool", c -> List.of(global(c.x(), true)));
        t.put("GlobalMaxPool", c -> List.of(global(c.x(), false)));
        t.put("Gemm", NnKernels::gemm);
        t.put("MatMul", c -> List.of(c.in(0).matMul(c.in(1))));
        t.put("Softmax", c -> List.of(softmax(c, false)));
        t.put("LogSoftmax", c -> List.of(softmax(c, true)));
        t.put("BatchNormalization", Normalizations::batchNorm);
        t.put("LayerNormalization", Normalizations::layerNorm);
        t.put("InstanceNormalization", Normalizations::instanceNorm);
    }

    private static List<NDArray> conv(Kernel.Call c) {
        NDArray x = c.in(0);
        NDArray w = c.in(1);
        int spatial = (int) w.getShape().dimension() - 2;
        Window win = Window.of(c, x.getShape(), kernelShape(w, spatial), 0f);
        x = win.padded(x, 0f);
        NDArray out = x.getNDArrayInternal().convolution(x, w, c.in(2), new Shape(win.strides()),
                new Shape(win.symmetricPads()), new Shape(win.dilations()), (int) c.intAttr("group", 1)).head();
        return List.of(out);
    }

    private static long[] kernelShape(NDArray w, int spatial) {
        long[] k = new long[spatial];
        for (int i = 0; i < spatial; i++) {
            k[i] = w.getShape().get(2 + i);
        }
        return k;
    }

    private static List<NDArray> pool(Kernel.Call c, boolean max) {
        NDArray x = c.x();
        long[] k = c.intsAttr("kernel_shape");
        Window win = Window.of(c, x.getShape(), k, max ? Float.NEGATIVE_INFINITY : 0f);
        for (long d : win.dilations()) {
            if (d != 1) {
                throw c.unsupported("dilated pooling");
            }
        }
        boolean ceil = c.intAttr("ceil_mode", 0) == 1;
        boolean countPads = c.intAttr("count_include_pad", 0) == 1;
        if (!max && win.asymmetric() && !countPads) {
            throw c.unsupported("asymmetric padding with count_include_pad=0");
        }
        if (c.node().outputs().size() > 1 && c.node().output(1) != null) {
            throw c.unsupported("the Indices output");
        }
        x = win.padded(x, max ? Float.NEGATIVE_INFINITY : 0f);
        Shape kernel = new Shape(k);
        Shape strides = new Shape(win.strides());
        Shape pads = new Shape(win.symmetricPads());
        return List.of(max ? x.getNDArrayInternal().maxPool(kernel, strides, pads, ceil)
                : x.getNDArrayInternal().avgPool(kernel, strides, pads, ceil, countPads));
    }

    private static NDArray global(NDArray x, boolean mean) {
        Shape s = x.getShape();
        NDArray flat = x.reshape(s.get(0), s.get(1), -1);
        NDArray r = mean ? flat.mean(new int[] {2}, true) : flat.max(new int[] {2}, true);
        long[] out = new long[s.dimension()];
        java.util.Arrays.fill(out, 1);
        out[0] = s.get(0);
        out[1] = s.get(1);
        return r.reshape(new Shape(out));
    }

    private static List<NDArray> gemm(Kernel.Call c) {
        NDArray a = c.intAttr("transA", 0) == 1 ? c.in(0).transpose() : c.in(0);
        NDArray b = c.intAttr("transB", 0) == 1 ? c.in(1).transpose() : c.in(1);
        NDArray y = a.matMul(b);
        float alpha = c.floatAttr("alpha", 1f);
        if (alpha != 1f) {
            y = y.mul(alpha);
        }
        NDArray bias = c.in(2);
        if (bias != null) {
            float beta = c.floatAttr("beta", 1f);
            y = y.add(beta == 1f ? bias : bias.mul(beta));
        }
        return List.of(y);
    }

    private static NDArray softmax(Kernel.Call c, boolean log) {
        NDArray x = c.x();
        int rank = x.getShape().dimension();
        if (c.opset() >= 13) {
            int axis = Attrs.axis(c.intAttr("axis", -1), rank);
            return log ? x.logSoftmax(axis) : x.softmax(axis);
        }
        int axis = Attrs.axis(c.intAttr("axis", 1), rank);
        Shape s = x.getShape();
        NDArray flat = x.reshape(s.slice(0, axis).size(), s.slice(axis).size());
        return (log ? flat.logSoftmax(1) : flat.softmax(1)).reshape(s);
    }
}
