package dev.bantam.onnx.infer;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Dim;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Inference for MatMul, Gemm, convolutions and pooling. */
final class LinearAlgebraRules {

    private LinearAlgebraRules() {
    }

    static void register(Map<String, InferenceRule> rules) {
        rules.put("MatMul", c -> List.of(InferenceContext.of(c.type(0), matmul(c.shape(0), c.shape(1)))));
        rules.put("MatMulInteger", c -> List.of(InferenceContext.of(DataType.INT32, matmul(c.shape(0), c.shape(1)))));
        rules.put("Gemm", LinearAlgebraRules::gemm);
        rules.put("Conv", c -> List.of(InferenceContext.of(c.type(0), conv(c, true))));
        rules.put("ConvInteger", c -> List.of(InferenceContext.of(DataType.INT32, conv(c, true))));
        rules.put("MaxPool", c -> List.of(InferenceContext.of(c.type(0), conv(c, false))));
        rules.put("AveragePool", c -> List.of(InferenceContext.of(c.type(0), conv(c, false))));
        rules.put("GlobalAveragePool", LinearAlgebraRules::global);
        rules.put("GlobalMaxPool", LinearAlgebraRules::global);
    }

    static Shape matmul(Shape a, Shape b) {
        if (a == null || b == null || a.rank() == 0 || b.rank() == 0) {
            return null;
        }
        List<Dim> x = new ArrayList<>(a.dims());
        List<Dim> y = new ArrayList<>(b.dims());
        boolean vecA = x.size() == 1;
        boolean vecB = y.size() == 1;
        if (vecA) {
            x.addFirst(Dim.of(1));
        }
        if (vecB) {
            y.add(Dim.of(1));
        }
        Shape batch = Dims.broadcast(new Shape(x.subList(0, x.size() - 2)), new Shape(y.subList(0, y.size() - 2)));
        List<Dim> out = new ArrayList<>(batch.dims());
        if (!vecA) {
            out.add(Dims.strip(x.get(x.size() - 2)));
        }
        if (!vecB) {
            out.add(Dims.strip(y.getLast()));
        }
        return new Shape(out);
    }

    private static List<ValueType.TensorType> gemm(InferenceContext c) {
        Shape a = c.shape(0);
        Shape b = c.shape(1);
        if (a == null || b == null || a.rank() != 2 || b.rank() != 2) {
            return List.of(InferenceContext.of(c.type(0), null));
        }
        Dim m = c.intAttr("transA", 0) == 1 ? a.dims().get(1) : a.dims().get(0);
        Dim n = c.intAttr("transB", 0) == 1 ? b.dims().get(0) : b.dims().get(1);
        return List.of(InferenceContext.of(c.type(0), new Shape(List.of(Dims.strip(m), Dims.strip(n)))));
    }

    private static List<ValueType.TensorType> global(InferenceContext c) {
        Shape x = c.shape(0);
        if (x == null || x.rank() < 2) {
            return List.of(InferenceContext.of(c.type(0), null));
        }
        List<Dim> out = new ArrayList<>(List.of(Dims.strip(x.dims().get(0)), Dims.strip(x.dims().get(1))));
        for (int i = 2; i < x.rank(); i++) {
            out.add(Dim.of(1));
        }
        return List.of(InferenceContext.of(c.type(0), new Shape(out)));
    }

    /** Output shape of Conv (weights give channels and kernel) or pooling (kernel_shape), explicit pads. */
    private static Shape conv(InferenceContext c, boolean weights) {
        Shape x = c.shape(0);
        if (x == null || x.rank() < 3) {
            return null;
        }
        int spatial = x.rank() - 2;
        long[] kernel = c.intsAttr("kernel_shape").orElse(null);
        Shape w = weights ? c.shape(1) : null;
        if (kernel == null && w != null && w.isStatic()) {
            kernel = new long[spatial];
            for (int i = 0; i < spatial; i++) {
                kernel[i] = Dims.value(w.dims().get(i + 2));
            }
        }
        List<Dim> out = new ArrayList<>();
        out.add(Dims.strip(x.dims().get(0)));
        out.add(weights ? (w == null ? Dim.unknown() : Dims.strip(w.dims().get(0))) : Dims.strip(x.dims().get(1)));
        String autoPad = c.stringAttr("auto_pad").orElse("NOTSET");
        long[] pads = c.intsAttr("pads").orElse(new long[2 * spatial]);
        long[] strides = c.intsAttr("strides").orElse(null);
        long[] dil = c.intsAttr("dilations").orElse(null);
        boolean ceil = c.intAttr("ceil_mode", 0) == 1;
        for (int i = 0; i < spatial; i++) {
            Long in = Dims.value(x.dims().get(i + 2));
            long s = strides == null ? 1 : strides[i];
            if (in == null || kernel == null) {
                out.add(Dim.unknown());
                continue;
            }
            long d = dil == null ? 1 : dil[i];
            long k = (kernel[i] - 1) * d + 1;
            long o;
            if (autoPad.equals("SAME_UPPER") || autoPad.equals("SAME_LOWER")) {
                o = (in + s - 1) / s;
            } else if (autoPad.equals("VALID")) {
                o = (in - k) / s + 1;
            } else {
                long span = in + pads[i] + pads[i + spatial] - k;
                o = (ceil ? (span + s - 1) / s : span / s) + 1;
            }
            out.add(Dim.of(o));
        }
        return new Shape(out);
    }
}
